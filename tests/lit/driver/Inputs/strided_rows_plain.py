# strided_rows.tt without annotations, as a Triton .py file: --signature types it.
import triton
import triton.language as tl


@triton.jit
def scale_rows(x_ptr, out_ptr, n_cols, stride_row, stride_col, BLOCK: tl.constexpr):
    row = tl.program_id(axis=0)
    cols = tl.arange(0, BLOCK)
    mask = cols < n_cols
    x = tl.load(x_ptr + row * stride_row + cols * stride_col, mask=mask)
    tl.store(out_ptr + row * n_cols + cols, x * 2.0, mask=mask)
