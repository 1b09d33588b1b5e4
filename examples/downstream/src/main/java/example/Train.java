package example;

import io.flambeau.Scope;
import io.flambeau.Tensor;
import io.flambeau.Torch;
import io.flambeau.nn.Linear;
import io.flambeau.nn.ReLU;
import io.flambeau.nn.Sequential;
import io.flambeau.optim.Adam;

/**
 * The shortest complete training program: Linear + ReLU + Linear learns y = sin(3x) on 256
 * points with Adam for 100 steps. Prints the first and last loss; exits 1 unless the loss fell
 * to a tenth of its start.
 */
public final class Train {
    public static void main(String[] args) {
        Torch.manualSeed(0);
        Tensor x = Torch.linspace(-1, 1, 256).reshape(256, 1);
        Tensor y = x.mul(3).sin();
        Sequential model = new Sequential(new Linear(1, 64), new ReLU(), new Linear(64, 1));
        Adam optimizer = new Adam(model.parameters(), Adam.options().lr(0.01));
        double first = Double.NaN, last = Double.NaN;
        for (int step = 1; step <= 100; step++) {
            try (Scope scope = Scope.open()) { // frees this step's tensors at once
                optimizer.zeroGrad();
                Tensor loss = model.forward(x).sub(y).square().mean();
                loss.backward();
                optimizer.step();
                last = loss.item();
                if (step == 1) first = last;
            }
        }
        System.out.printf("device %s, loss %.5f -> %.5f after 100 Adam steps%n", Torch.defaultDevice(), first, last);
        if (!(last < first / 10)) {
            System.out.println("the loss did not fall to a tenth of its start");
            System.exit(1);
        }
    }
}
