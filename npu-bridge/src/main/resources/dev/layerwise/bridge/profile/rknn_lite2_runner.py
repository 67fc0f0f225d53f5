#!/usr/bin/env python3
# layerwise-runner: rknn-lite2 v2
# Written for Layerwise: runs a .rknn model once on the NPU with RKNN-Toolkit-Lite2 and saves every
# output as float32 .npy: the first in OUTPUT.npy, output i beside it in OUTPUT.i.npy.
# Usage: python3 rknn_lite2_runner.py MODEL.rknn INPUT.npy OUTPUT.npy
import sys
import time


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: rknn_lite2_runner.py MODEL.rknn INPUT.npy OUTPUT.npy\n")
        return 2
    model, input_path, output_path = argv[1], argv[2], argv[3]
    import numpy as np
    from rknnlite.api import RKNNLite

    x = np.load(input_path)
    rknn = RKNNLite()
    if rknn.load_rknn(model) != 0:
        sys.stderr.write("error: load_rknn failed for %s\n" % model)
        return 1
    if rknn.init_runtime() != 0:
        sys.stderr.write("error: init_runtime failed (is librknnrt.so installed and the NPU driver loaded?)\n")
        return 1
    # Layerwise sends NCHW float tensors; tell the runtime so it converts to the model's layout
    fmt = "nchw" if x.ndim == 4 and x.shape[1] in (1, 3, 4) else None
    start = time.perf_counter()
    outputs = rknn.inference(inputs=[x], data_format=fmt) if fmt else rknn.inference(inputs=[x])
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    rknn.release()
    if not outputs:
        sys.stderr.write("error: inference returned no outputs\n")
        return 1
    from runner_outputs import save_all

    shapes = save_all(np, outputs, output_path)
    print("layerwise: inference %.3f ms, output %s float32" % (elapsed_ms, ", ".join(shapes)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
