"""Replays the GPU allocations of vLLM's AWQ weight loading (>= 0.26) with torch alone and measures what the caching
allocator keeps reserved after gc + empty_cache, the way vllm/utils/mem_utils.py memory_profiling sees it.

The tensor shapes, dtypes and their order follow vllm/model_executor/layers/quantization/auto_awq.py
(AutoAWQMarlinLinearMethod.create_weights, _convert_awq_to_standard_format) and
vllm/model_executor/kernels/linear/mixed_precision/marlin.py (MarlinLinearKernel.process_weights_after_loading);
the Marlin repack kernel is replaced by an empty tensor of its output shape (only sizes and lifetimes matter here).
No vLLM code is run. Usage: python3 awq-load-residue.py   (prints one line per model shape)
"""
import gc
import sys

import torch

GIB = 1 << 30
PACK = 8  # 4-bit values per int32
GROUP = 128

MODELS = {
    # name: layers, hidden, heads, kv_heads, head_dim, intermediate, vocab (padded to 64), tied
    "qwen3-8b": (36, 4096, 32, 8, 128, 12288, 151936, False),
    "qwen2.5-7b": (28, 3584, 28, 4, 128, 18944, 152064, False),
    "llama-3.1-8b": (32, 4096, 32, 8, 128, 14336, 128256, False),
    "qwen2.5-0.5b": (24, 896, 14, 2, 64, 4864, 151936, True),
}


class Linear:
    """One AWQ linear layer's parameters as create_weights allocates them: K = in, N = out."""

    def __init__(self, k, n, dtype):
        self.k, self.n = k, n
        self.qweight = torch.empty(k, n // PACK, dtype=torch.int32, device="cuda")
        self.qzeros = torch.empty(k // GROUP, n // PACK, dtype=torch.int32, device="cuda")
        self.scales = torch.empty(k // GROUP, n, dtype=dtype, device="cuda")

    def convert_awq_to_standard(self):
        # auto_awq.py _convert_awq_to_standard_format, verbatim tensor operations
        mask = (1 << 4) - 1
        reverse_order = torch.tensor([0, 4, 1, 5, 2, 6, 3, 7], dtype=torch.long, device="cuda")
        shifts = torch.arange(0, 32, 4, dtype=torch.int32, device="cuda")
        qw = self.qweight
        k, n_packed = qw.shape
        n = n_packed * PACK
        unpacked = (qw.unsqueeze(-1) >> shifts) & mask
        unpacked = unpacked[:, :, reverse_order]
        unpacked = unpacked.reshape(k, n)
        unpacked = unpacked.reshape(k // PACK, PACK, n)
        new_qw = (unpacked.to(torch.int32) << shifts[None, :, None]).sum(dim=1, dtype=torch.int32)
        self.qweight = new_qw.contiguous()
        qz = self.qzeros
        g, _ = qz.shape
        unpacked_zp = (qz.unsqueeze(-1) >> shifts) & mask
        unpacked_zp = unpacked_zp[:, :, reverse_order]
        unpacked_zp = unpacked_zp.reshape(g, n)
        unpacked_zp = unpacked_zp.T
        unpacked_zp = unpacked_zp.reshape(n // PACK, PACK, g)
        new_qz = (unpacked_zp.to(torch.int32) << shifts[None, :, None]).sum(dim=1, dtype=torch.int32)
        self.qzeros = new_qz.contiguous()
        del qw, qz, unpacked, unpacked_zp

    def marlin(self):
        # marlin.py MarlinLinearKernel.process_weights_after_loading: workspace, empty g_idx tensors, zero points
        # (unpack_cols of qzeros.t() then marlin_zero_points), gptq_marlin_repack of qweight, marlin_permute_scales.
        self.workspace = torch.zeros(132, dtype=torch.int32, device="cuda")
        self.g_idx = torch.empty(0, dtype=torch.int, device="cuda")
        self.g_idx_sort = torch.empty(0, dtype=torch.int, device="cuda")
        grouped_k = self.k // GROUP
        unpacked = torch.empty(grouped_k, self.n, dtype=torch.int32, device="cuda")
        self.qzeros = torch.empty(grouped_k, self.n // PACK, dtype=torch.int32, device="cuda")
        del unpacked
        self.qweight = torch.empty(self.k // 16, self.n * 16 // PACK, dtype=torch.int32, device="cuda")
        self.scales = torch.empty_like(self.scales)


def replay(name):
    layers, h, heads, kv, hd, inter, vocab, tied = MODELS[name]
    dtype = torch.float16
    gc.collect()
    torch.cuda.empty_cache()
    base_reserved = torch.cuda.memory_reserved()
    base_alloc = torch.cuda.memory_allocated()
    keep = [torch.empty(vocab, h, dtype=dtype, device="cuda")]
    linears = []
    for _ in range(layers):
        linears.append(Linear(h, (heads + 2 * kv) * hd, dtype))
        linears.append(Linear(heads * hd, h, dtype))
        keep.append(torch.empty(2 * hd, dtype=dtype, device="cuda"))
        linears.append(Linear(h, 2 * inter, dtype))
        linears.append(Linear(inter, h, dtype))
        keep.append(torch.empty(2 * h, dtype=dtype, device="cuda"))
    keep.append(torch.empty(h, dtype=dtype, device="cuda"))
    if not tied:
        keep.append(torch.empty(vocab, h, dtype=dtype, device="cuda"))
    for lin in linears:
        lin.convert_awq_to_standard()
        lin.marlin()
    gc.collect()
    torch.cuda.empty_cache()
    alloc = torch.cuda.memory_allocated() - base_alloc
    reserved = torch.cuda.memory_reserved() - base_reserved
    big = max(l.k * l.n * 4 for l in linears)
    print(f"{name}: weights allocated {alloc / GIB:.3f} GiB, reserved {reserved / GIB:.3f} GiB, "
          f"residue {(reserved - alloc) / GIB:.3f} GiB, largest K*N*4 {big / GIB:.3f} GiB", flush=True)
    del keep, linears


if __name__ == "__main__":
    for m in sys.argv[1:] or MODELS:
        replay(m)
