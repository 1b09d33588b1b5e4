package io.flambeau.course;

import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.core.AutogradException;
import io.flambeau.demo.GradientDescent;
import io.flambeau.demo.NotEqualExercise;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static io.flambeau.course.Printed.assertPrints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Course section 4.4 (the gradient-descent workflow exactly as the course writes it) and the
 * exercise of 4.5 (learning "!="), in both the loop and the vectorised form.
 */
class Section4BooleanTest {
    private static final float[] X = {1, 2, 3};
    private static final float[] REF = {2, 4, 6};

    /** f(x, a) = a * x, the learning function used here for the course's generic f. */
    private static Tensor f(Tensor x, Tensor a) {
        return a.mul(x);
    }

    /** Err(estimate, ref) = (estimate - ref)^2. */
    private static Tensor err(Tensor estimate, Tensor ref) {
        return estimate.sub(ref).pow(2);
    }

    /**
     * ErrTot = Σ (a x_i - r_i)^2, summed in a loop into a tensor created without requires_grad;
     * checks at every step where the flag comes from.
     */
    private static Tensor forwardPass(Tensor a, Tensor x, Tensor ref) {
        Tensor errTot = Torch.zeros(1);
        assertFalse(errTot.requiresGrad());
        for (int i = 0; i < 3; i++) {
            Tensor y = f(x.get(i), a);
            assertFalse(x.requiresGrad());
            assertTrue(y.requiresGrad(), "y = f(X[i], a) requires grad because a does");
            Tensor erreur = err(y, ref.get(i));
            assertTrue(erreur.requiresGrad(), "the error requires grad because y does");
            errTot.add_(erreur);
            assertTrue(errTot.requiresGrad(), "ErrTot += erreur makes ErrTot require grad");
            assertNotNull(errTot.gradFn());
        }
        return errTot;
    }

    @Test
    void gradientDescentWorkflowOfSection4_4() {
        Tensor x = Torch.tensor(X);
        Tensor ref = Torch.tensor(REF);
        Tensor a = Torch.floatTensor(List.of(0));
        a.requiresGrad_();
        assertTrue(a.isLeaf());
        assertPrints("tensor([0.], requires_grad=True)", a);

        Tensor errTot = forwardPass(a, x, ref);
        assertEquals(4 + 16 + 36, errTot.item(), 1e-5);
        assertNull(a.grad(), "no gradient before the first backward");
        errTot.backward();
        // d/da Σ (a x_i - r_i)^2 = Σ 2 (a x_i - r_i) x_i = -2 (2 + 8 + 18) at a = 0
        assertPrints("tensor([-56.])", a.grad());

        double lr = 0.01;
        try (var _ = Torch.noGrad()) {
            assertFalse(Torch.isGradEnabled());
            a.sub_(a.grad().mul(lr));
            a.grad().zero_();
        }
        assertTrue(Torch.isGradEnabled(), "the no-grad scope ends with its block");
        assertEquals(0.56, a.item(), 1e-6);
        assertTrue(a.isLeaf() && a.requiresGrad(), "an update under no-grad leaves a a leaf that requires grad");
        assertNull(a.gradFn());
        assertPrints("tensor([0.])", a.grad());

        // second pass: Σ 2 (a x_i - r_i) x_i = 28 (a - 2) = -40.32 at a = 0.56
        forwardPass(a, x, ref).backward();
        assertEquals(-40.32, a.grad().item(), 1e-4);
    }

    @Test
    void gradientsAddUpUntilZeroed() {
        Tensor x = Torch.tensor(X);
        Tensor ref = Torch.tensor(REF);
        Tensor a = Torch.floatTensor(List.of(0)).requiresGrad_();
        forwardPass(a, x, ref).backward();
        forwardPass(a, x, ref).backward();
        assertEquals(-112, a.grad().item(), 1e-4);
        try (var _ = Torch.noGrad()) {
            a.grad().zero_();
        }
        assertEquals(0, a.grad().item());
    }

    @Test
    void updatingALeafOutsideNoGradIsRefused() {
        Tensor a = Torch.floatTensor(List.of(0)).requiresGrad_();
        forwardPass(a, Torch.tensor(X), Torch.tensor(REF)).backward();
        assertThrows(AutogradException.class, () -> a.sub_(a.grad().mul(0.01)));
    }

    @Test
    void notEqualErrorAndGradientByHand() {
        NotEqualExercise exercise = new NotEqualExercise();
        for (UnaryOperator<Tensor> form : forms(exercise)) {
            // a = 0: every estimate is 0; the two differing samples each contribute (0 - 1)^2.
            // d/da = 2 (2a - 1) * 2 + 2 (9a - 1) * 9 = -4 - 18 while both a|x - y| stay below 1.
            Tensor a = Torch.zeros(1).requiresGrad_();
            Tensor loss = form.apply(a);
            assertTrue(loss.requiresGrad());
            assertEquals(2.0, loss.item(), 1e-6);
            loss.backward();
            assertEquals(-22.0, a.grad().item(), 1e-5);

            // a = 0.25: 2a = 0.5 gives (0.5 - 1)^2; 9a = 2.25 is capped at 1 by min, so no error and no gradient.
            Tensor b = Torch.floatTensor(List.of(0.25)).requiresGrad_();
            Tensor loss2 = form.apply(b);
            assertEquals(0.25, loss2.item(), 1e-6);
            loss2.backward();
            assertEquals(-2.0, b.grad().item(), 1e-5);
        }
    }

    @Test
    void vectorisedFormUsesOneTensorPerInput() {
        NotEqualExercise exercise = new NotEqualExercise();
        Tensor a = Torch.floatTensor(List.of(0.25));
        assertPrints("tensor([0.5000, 1.0000, 0.0000, 0.0000])", exercise.predictions(a));
        assertEquals(0, exercise.totalErrorVectorised(a).dim(), "sum() gives a 0-dim total");
    }

    @Test
    void bothFormsConvergeInUnder100Iterations() {
        NotEqualExercise exercise = new NotEqualExercise();
        GradientDescent descent = new GradientDescent(0.01, 100, 1e-4);
        double[][] histories = new double[2][];
        int k = 0;
        for (UnaryOperator<Tensor> form : forms(exercise)) {
            Tensor a = NotEqualExercise.initialParameter();
            GradientDescent.Result result = descent.minimise(a, form, (it, loss) -> { });
            assertTrue(result.converged(), "did not converge: final error " + result.finalLoss());
            assertTrue(result.iterations() < 100, result.iterations() + " iterations");
            assertTrue(result.finalLoss() < 1e-4);
            assertTrue(a.item() > 0.49 && a.item() <= 0.5, "a = " + a.item());
            double[] p = exercise.predictions(a).toDoubleArray();
            double[] expected = {1, 1, 0, 0};
            for (int i = 0; i < 4; i++) assertEquals(expected[i], p[i], 0.01, "sample " + i);
            histories[k++] = result.losses();
        }
        assertEquals(histories[0].length, histories[1].length, "both forms take the same path");
        for (int i = 0; i < histories[0].length; i++) {
            assertEquals(histories[0][i], histories[1][i], 1e-6 * Math.max(1, histories[0][i]), "iteration " + (i + 1));
        }
    }

    @Test
    void errorGoesDownEveryIteration() {
        NotEqualExercise exercise = new NotEqualExercise();
        GradientDescent.Result result = new GradientDescent(0.01, 100, 1e-4)
                .minimise(NotEqualExercise.initialParameter(), exercise::totalErrorVectorised, (it, loss) -> { });
        double[] l = result.losses();
        for (int i = 1; i < l.length; i++) assertTrue(l[i] < l[i - 1], "error rose at iteration " + (i + 1));
    }

    private static List<UnaryOperator<Tensor>> forms(NotEqualExercise exercise) {
        return List.of(exercise::totalErrorLoop, exercise::totalErrorVectorised);
    }
}
