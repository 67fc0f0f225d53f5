#!/usr/bin/env python3
# layerwise-runner: onnxruntime v1
# Written for Layerwise: runs an ONNX model once on an .npy input and saves the first output as
# float32 .npy. Usage: python3 ort_runner.py MODEL.onnx INPUT.npy OUTPUT.npy
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
    y = session.run(None, {first.name: x})[0]
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    y = np.ascontiguousarray(np.asarray(y, dtype=np.float32))
    # write beside the target and rename, so a reader never sees half a file
    tmp = output_path + ".part.npy"
    np.save(tmp, y)
    os.replace(tmp, output_path)
    print("layerwise: inference %.3f ms, output %s float32" % (elapsed_ms, "x".join(str(d) for d in y.shape)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
