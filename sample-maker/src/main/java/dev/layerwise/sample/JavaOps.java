package dev.layerwise.sample;

/**
 * The few operators of the sample network, computed in plain Java on one image (batch 1, NCHW,
 * row-major). The generator needs the network's activations while it chooses the weights, and Java
 * float arithmetic gives the same bits on every machine where ONNX Runtime may not, which keeps the
 * generated file byte-identical everywhere. Stateless.
 */
final class JavaOps {

    private JavaOps() {
    }

    /** Output size of a convolution or pooling window along one axis. */
    static int outSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    /**
     * Grouped 2-D convolution. Weights are {@code [out][in/groups][k][k]}; {@code bias} may be null.
     * Sums in a fixed order: bias, then input channel, kernel row, kernel column.
     */
    static float[] conv(float[] x, int c, int h, int w, float[] wt, float[] bias, int out, int k, int stride,
            int pad, int groups) {
        int oh = outSize(h, k, stride, pad);
        int ow = outSize(w, k, stride, pad);
        int plane = oh * ow;
        float[] y = new float[out * plane];
        int cpg = c / groups;
        int opg = out / groups;
        boolean pointwise = k == 1 && stride == 1 && pad == 0;
        for (int oc = 0; oc < out; oc++) {
            int group = oc / opg;
            int yo = oc * plane;
            if (bias != null) {
                java.util.Arrays.fill(y, yo, yo + plane, bias[oc]);
            }
            for (int ic = 0; ic < cpg; ic++) {
                int xc = (group * cpg + ic) * h * w;
                for (int ky = 0; ky < k; ky++) {
                    for (int kx = 0; kx < k; kx++) {
                        float wv = wt[((oc * cpg + ic) * k + ky) * k + kx];
                        if (pointwise) {
                            for (int i = 0; i < plane; i++) {
                                y[yo + i] += wv * x[xc + i];
                            }
                            continue;
                        }
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * stride - pad + ky;
                            if (iy < 0 || iy >= h) {
                                continue;
                            }
                            int yrow = yo + oy * ow;
                            int xrow = xc + iy * w;
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * stride - pad + kx;
                                if (ix >= 0 && ix < w) {
                                    y[yrow + ox] += wv * x[xrow + ix];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    static float[] relu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : 0f;
        }
        return y;
    }

    /** Max pooling; padded cells never win, as in ONNX. */
    static float[] maxPool(float[] x, int c, int h, int w, int k, int stride, int pad) {
        int oh = outSize(h, k, stride, pad);
        int ow = outSize(w, k, stride, pad);
        float[] y = new float[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < k; ky++) {
                        int iy = oy * stride - pad + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++) {
                            int ix = ox * stride - pad + kx;
                            if (ix >= 0 && ix < w) {
                                m = Math.max(m, x[(ch * h + iy) * w + ix]);
                            }
                        }
                    }
                    y[(ch * oh + oy) * ow + ox] = m;
                }
            }
        }
        return y;
    }

    /** Mean of each channel: an average pool whose window is the whole plane. */
    static float[] channelMean(float[] x, int c, int plane) {
        float[] y = new float[c];
        for (int ch = 0; ch < c; ch++) {
            float s = 0;
            for (int i = 0; i < plane; i++) {
                s += x[ch * plane + i];
            }
            y[ch] = s / plane;
        }
        return y;
    }

    /** Channels {@code [from, to)}. */
    static float[] sliceChannels(float[] x, int plane, int from, int to) {
        float[] y = new float[(to - from) * plane];
        System.arraycopy(x, from * plane, y, 0, y.length);
        return y;
    }

    static float[] concat(float[] a, float[] b) {
        float[] y = new float[a.length + b.length];
        System.arraycopy(a, 0, y, 0, a.length);
        System.arraycopy(b, 0, y, a.length, b.length);
        return y;
    }

    /**
     * ShuffleNet's channel shuffle with two groups: view as (2, C/2), transpose, flatten. Output
     * channel {@code 2i + g} is input channel {@code g * C/2 + i}.
     */
    static float[] shuffle(float[] x, int c, int plane) {
        float[] y = new float[x.length];
        int half = c / 2;
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < half; i++) {
                System.arraycopy(x, (g * half + i) * plane, y, (2 * i + g) * plane, plane);
            }
        }
        return y;
    }

    /** {@code y = W x + b} with {@code W} as {@code [out][in]} (Gemm with transB = 1). */
    static float[] gemm(float[] x, float[] wt, float[] bias, int out) {
        int in = x.length;
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            float s = bias[o];
            for (int i = 0; i < in; i++) {
                s += wt[o * in + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }
}
