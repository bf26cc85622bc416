/* Calls the dispatcher of the header specialize.test generates (s.h, from strided_rows.tt with
 * --specialize) on aligned and misaligned arguments and prints the variant each picks. */
#include "s.h"

#include <stdio.h>

int main(void) {
  const CUdeviceptr x = 0x10000, out = 0x20000;
  printf("aligned, unit stride: %d\n", s_scale_rows_variant(x, out, 256, 256, 1));
  printf("aligned, stride 2: %d\n", s_scale_rows_variant(x, out, 256, 512, 2));
  printf("misaligned x, unit stride: %d\n", s_scale_rows_variant(x + 4, out, 256, 256, 1));
  printf("misaligned out: %d\n", s_scale_rows_variant(x, out + 4, 256, 256, 1));
  printf("odd row length: %d\n", s_scale_rows_variant(x, out, 255, 256, 1));
  return 0;
}
