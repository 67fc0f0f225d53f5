package dev.layerwise.sample;

/**
 * Designs the final Gemm (1000 x features) so that each sample picture is classified as its
 * subject with a chosen confidence. Rows start random (the "background" of a classifier: every class
 * gets some logit); the row of each picture's class then gets a direction that responds to that
 * picture's pooled feature and as little as possible to the others' (a ridge-regularised dual basis
 * of the centred features), scaled by bisection until softmax gives the target probability. Not
 * thread-safe.
 *
 * @param weight {@code [classes][features]}, row-major
 * @param bias {@code [classes]}
 */
record ClassifierHead(float[] weight, float[] bias) {

    /** Relative ridge term: keeps the dual basis finite although centred features sum to zero. */
    private static final double RIDGE = 1e-3;

    /**
     * @param features pooled features, one row per picture, computed by the float network
     * @param classes class index wanted for each picture
     * @param top1 softmax probability wanted for each picture's class
     * @param runnerUp class that comes second on picture 0, {@code gap} logits below its top-1
     * @param spread standard deviation of the background logits across classes
     */
    static ClassifierHead design(float[][] features, int[] classes, double[] top1, int runnerUp, double gap,
            double spread, int numClasses, SampleRandom random) {
        int n = features.length;
        int d = features[0].length;
        double[] mean = new double[d];
        for (float[] f : features) {
            for (int j = 0; j < d; j++) {
                mean[j] += f[j] / (double) n;
            }
        }
        double[][] g = new double[n][d];
        double spreadOfG = 0;
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < d; j++) {
                g[k][j] = features[k][j] - mean[j];
            }
            spreadOfG += dot(g[k], g[k]) / n;
        }
        // background rows ignore the features' common part (orthogonal to the mean), else every
        // picture would share the same runners-up
        double meanSq = dot(mean, mean);
        double sigma = spread / StrictMath.sqrt(spreadOfG);
        double[][] w = new double[numClasses][d];
        double[] b = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < d; j++) {
                w[c][j] = sigma * random.gaussian();
            }
            double along = dot(w[c], mean) / meanSq;
            for (int j = 0; j < d; j++) {
                w[c][j] -= along * mean[j];
            }
            b[c] = 0.05 * random.gaussian();
        }
        double[][] dual = dualBasis(g);
        // response[k][m]: how much picture m's logit moves per unit of picture k's direction
        double[][] response = new double[n][n];
        double[] meanResponse = new double[n];
        for (int k = 0; k < n; k++) {
            meanResponse[k] = dot(dual[k], mean);
            for (int m = 0; m < n; m++) {
                response[k][m] = dot(dual[k], g[m]);
            }
        }
        double[][] logits = new double[n][];
        for (int m = 0; m < n; m++) {
            logits[m] = new double[numClasses];
            for (int c = 0; c < numClasses; c++) {
                logits[m][c] = b[c] + dotF(w[c], features[m]);
            }
        }
        double[] alpha = new double[n];
        double runnerUpScale = 0;
        for (int sweep = 0; sweep < 4; sweep++) {
            for (int k = 0; k < n; k++) {
                double lo = -50;
                double hi = 200;
                for (int it = 0; it < 100; it++) {
                    double mid = 0.5 * (lo + hi);
                    int tied = k == 0 ? runnerUp : -1;
                    if (probability(logits, response, k, classes[k], mid - alpha[k], tied, gap) < top1[k]) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                double delta = 0.5 * (lo + hi) - alpha[k];
                alpha[k] += delta;
                for (int m = 0; m < n; m++) {
                    logits[m][classes[k]] += delta * response[k][m];
                }
                if (k == 0) {
                    // the runner-up follows picture 0's direction, a fixed distance behind
                    double want = logits[0][classes[0]] - gap;
                    double deltaR = (want - logits[0][runnerUp]) / response[0][0];
                    runnerUpScale += deltaR;
                    for (int m = 0; m < n; m++) {
                        logits[m][runnerUp] += deltaR * response[0][m];
                    }
                }
            }
        }
        for (int k = 0; k < n; k++) {
            addDirection(w, b, classes[k], alpha[k], dual[k], meanResponse[k]);
        }
        addDirection(w, b, runnerUp, runnerUpScale, dual[0], meanResponse[0]);
        float[] wf = new float[numClasses * d];
        float[] bf = new float[numClasses];
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < d; j++) {
                wf[c * d + j] = (float) w[c][j];
            }
            bf[c] = (float) b[c];
        }
        return new ClassifierHead(wf, bf);
    }

    /** Row {@code c} responds by {@code scale * (dir . (f - mean))}: the mean's share goes into the bias. */
    private static void addDirection(double[][] w, double[] b, int c, double scale, double[] dir, double meanResponse) {
        for (int j = 0; j < dir.length; j++) {
            w[c][j] += scale * dir[j];
        }
        b[c] -= scale * meanResponse;
    }

    /**
     * Softmax probability of {@code cls} on picture {@code k} if its logit moved by {@code delta};
     * class {@code tied} (unless -1) is taken to sit {@code gap} below it.
     */
    private static double probability(double[][] logits, double[][] response, int k, int cls, double delta, int tied,
            double gap) {
        double[] l = logits[k];
        double top = l[cls] + delta * response[k][k];
        double max = top;
        for (double v : l) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < l.length; c++) {
            double v = c == cls ? top : c == tied ? top - gap : l[c];
            sum += StrictMath.exp(v - max);
        }
        return StrictMath.exp(top - max) / sum;
    }

    /** Vectors {@code u_k} with {@code u_k . g_m} close to 1 when k = m and small otherwise. */
    private static double[][] dualBasis(double[][] g) {
        int n = g.length;
        double[][] gram = new double[n][n];
        double trace = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                gram[i][j] = dot(g[i], g[j]);
            }
            trace += gram[i][i];
        }
        for (int i = 0; i < n; i++) {
            gram[i][i] += RIDGE * trace / n;
        }
        double[][] inv = invert(gram);
        double[][] out = new double[n][g[0].length];
        for (int k = 0; k < n; k++) {
            for (int m = 0; m < n; m++) {
                for (int j = 0; j < g[0].length; j++) {
                    out[k][j] += inv[k][m] * g[m][j];
                }
            }
        }
        return out;
    }

    /** Gauss–Jordan with partial pivoting; the matrix is small and well conditioned by the ridge. */
    private static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            double p = m[col][col];
            for (int j = 0; j < 2 * n; j++) {
                m[col][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != col && m[r][col] != 0) {
                    double f = m[r][col];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[col][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dotF(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
