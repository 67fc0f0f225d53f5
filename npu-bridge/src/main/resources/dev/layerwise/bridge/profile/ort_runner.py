#!/usr/bin/env python3
# layerwise-runner: onnxruntime v2
# Written for Layerwise: runs an ONNX model once on an .npy input and saves every output as
# float32 .npy: the first in OUTPUT.npy, output i beside it in OUTPUT.i.npy.
# Usage: python3 ort_runner.py MODEL.onnx INPUT.npy OUTPUT.npy
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
    from runner_outputs import save_all

    shapes = save_all(np, ys, output_path)
    print("layerwise: inference %.3f ms, output %s float32" % (elapsed_ms, ", ".join(shapes)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
