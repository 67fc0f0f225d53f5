#!/usr/bin/env python3
# Written for Layerwise: how the runners save a model's outputs, pushed beside them.
import os


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

