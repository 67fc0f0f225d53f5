#!/usr/bin/env python3
# layerwise-runner: rknn-lite2 v2
# Written for Layerwise: runs a .rknn model once on the NPU with RKNN-Toolkit-Lite2 and saves every
# output as float32 .npy: the first in OUTPUT.npy, output i beside it in OUTPUT.i.npy.
# Usage: python3 rknn_lite2_runner.py MODEL.rknn INPUT.npy OUTPUT.npy
import os
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
    shapes = save_all(np, outputs, output_path)
    print("layerwise: inference %.3f ms, output %s float32" % (elapsed_ms, ", ".join(shapes)))
    return 0


def save_all(np, ys, output_path):
    """Output 0 in output_path, output i in output.i.npy; the first last, so its presence means all are there."""
    stem = output_path[:-4] if output_path.endswith(".npy") else output_path
    names = [output_path] + ["%s.%d.npy" % (stem, i) for i in range(1, len(ys))]
    for i in list(range(1, len(ys))) + [0]:
        y = np.ascontiguousarray(np.asarray(ys[i], dtype=np.float32))
        # write beside the target and rename, so a reader never sees half a file
        tmp = names[i] + ".part.npy"
        np.save(tmp, y)
        os.replace(tmp, names[i])
    return ["x".join(str(d) for d in np.asarray(y).shape) for y in ys]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
