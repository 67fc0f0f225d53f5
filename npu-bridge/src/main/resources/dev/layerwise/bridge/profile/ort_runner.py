#!/usr/bin/env python3
# layerwise-runner: onnxruntime v2
# Written for Layerwise: runs an ONNX model once on an .npy input and saves every output as
# float32 .npy: the first in OUTPUT.npy, output i beside it in OUTPUT.i.npy.
# Usage: python3 ort_runner.py MODEL.onnx INPUT.npy OUTPUT.npy
import os
import sys
import time


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: ort_runner.py MODEL.onnx INPUT.npy OUTPUT.npy\n")
        return 2
    model, input_path, output_path = argv[1], argv[2], argv[3]
    import numpy as np
    import onnxruntime as ort

    x = np.load(input_path)
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    first = session.get_inputs()[0]
    if "float" in first.type:
        x = x.astype(np.float32)
    start = time.perf_counter()
    ys = session.run(None, {first.name: x})
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    shapes = save_all(np, ys, output_path)
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
