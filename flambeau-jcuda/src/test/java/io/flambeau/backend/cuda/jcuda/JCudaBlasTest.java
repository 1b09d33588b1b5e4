package io.flambeau.backend.cuda.jcuda;

import io.flambeau.backend.cuda.api.CublasException;
import io.flambeau.backend.cuda.api.CublasStatus;
import io.flambeau.backend.cuda.api.CudaApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cuBLAS through JCublas2: column-major GEMM with the v2 API's host-side alpha and beta. */
class JCudaBlasTest extends JCudaLoopbackFixture {
    private long handle;

    @BeforeEach
    void createHandle() {
        assertTrue(api.hasBlas(), "the loopback provides libcublas.so.12: " + api.blasUnavailableReason());
        handle = api.blasCreate();
        api.blasSetMathMode(handle, CudaApi.CUBLAS_DEFAULT_MATH);
    }

    @AfterEach
    void destroyHandle() { api.blasDestroy(handle); }

    private long upload(float... values) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        long d = api.memAlloc(b.capacity());
        api.memcpyHtoD(d, b.flip(), b.remaining());
        return d;
    }

    private float[] download(long d, int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(b, d, 4L * n);
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void sgemmIsColumnMajor() {
        assertEquals(120900, api.blasVersion(), "JCublas2 binds libcublas.so.12");
        // A is 2x3 column-major [[1,3,5],[2,4,6]], B is 3x2 [[1,4],[2,5],[3,6]]: A·B = [[22,49],[28,64]]
        long a = upload(1, 2, 3, 4, 5, 6), b = upload(1, 2, 3, 4, 5, 6), c = upload(100, 100, 100, 100);
        api.blasSgemm(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 2, 2, 3, 1f, a, 2, b, 3, 0f, c, 2);
        assertArrayEquals(new float[] {22, 28, 49, 64}, download(c, 4), "beta 0 ignores C's old values");
        // transposed operands: op(A) = Bᵀ (2x3), op(B) = Aᵀ (3x2), so C = 2·(A·B)ᵀ + C
        api.blasSgemm(handle, CudaApi.CUBLAS_OP_T, CudaApi.CUBLAS_OP_T, 2, 2, 3, 2f, b, 3, a, 2, 1f, c, 2);
        assertArrayEquals(new float[] {22 + 44, 28 + 98, 49 + 56, 64 + 128}, download(c, 4));
    }

    @Test
    void dgemmAndStridedBatches() {
        ByteBuffer h = ByteBuffer.allocateDirect(8 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : new double[] {1, 2, 3, 4}) h.putDouble(v);
        long a = api.memAlloc(32), c = api.memAlloc(32);
        api.memcpyHtoD(a, h.flip(), 32);
        api.blasDgemm(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 2, 2, 2, 1.0, a, 2, a, 2, 0.0, c, 2);
        ByteBuffer out = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        api.memcpyDtoH(out, c, 32);
        assertArrayEquals(new double[] {7, 10, 15, 22}, new double[] {out.getDouble(0), out.getDouble(8), out.getDouble(16), out.getDouble(24)});

        // two 2x2 products, each matrix 4 floats after the previous; the second A is the identity
        long as = upload(1, 2, 3, 4, 1, 0, 0, 1), bs = upload(1, 0, 0, 1, 5, 6, 7, 8), cs = upload(new float[8]);
        api.blasSgemmStridedBatched(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 2, 2, 2,
                1f, as, 2, 4, bs, 2, 4, 0f, cs, 2, 4, 2);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, download(cs, 8));
        long ad = api.memAlloc(64), cd = api.memAlloc(64);
        api.memsetD8Async(ad, (byte) 0, 64, 0);
        api.blasSetStream(handle, 0);
        api.blasDgemmStridedBatched(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 2, 2, 2,
                1.0, ad, 2, 4, ad, 2, 4, 0.0, cd, 2, 4, 2);
    }

    @Test
    void aRejectedArgumentIsACublasExceptionNamingTheCall() {
        long a = upload(1, 2, 3, 4);
        CublasException e = assertThrows(CublasException.class,
                () -> api.blasSgemm(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 2, 2, 2, 1f, a, 1, a, 2, 0f, a, 2));
        assertEquals("cublasSgemm_v2", e.call());
        assertEquals(CublasStatus.INVALID_VALUE, e.code());
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", e.errorName());
        CublasException destroyed = assertThrows(CublasException.class, () -> {
            long h = api.blasCreate();
            api.blasDestroy(h);
            api.blasSetStream(h, 0);
        });
        assertEquals(CublasStatus.NOT_INITIALIZED, destroyed.code());
    }

    @Test
    void streamsAndMathModes() {
        long s = api.streamCreate();
        api.blasSetStream(handle, s);
        api.blasSetMathMode(handle, CudaApi.CUBLAS_TF32_TENSOR_OP_MATH);
        long a = upload(1, 2, 3, 4), c = upload(0, 0, 0, 0);
        api.blasSgemm(handle, CudaApi.CUBLAS_OP_N, CudaApi.CUBLAS_OP_N, 2, 2, 2, 1f, a, 2, a, 2, 0f, c, 2);
        api.streamSynchronize(s);
        assertArrayEquals(new float[] {7, 10, 15, 22}, download(c, 4));
        api.blasSetStream(handle, 0);
        api.streamDestroy(s);
    }
}
