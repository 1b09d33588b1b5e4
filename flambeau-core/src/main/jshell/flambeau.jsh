// Flambeau in JShell: `./flambeau repl`. Type the course's lines one by one; a value prints as
// PyTorch prints it (a tensor as tensor([...]), a shape as torch.Size([...])).
import io.flambeau.*;
import io.flambeau.nn.*;
import io.flambeau.optim.*;
import java.util.List;

// The course's first examples (1.3-1.6), in Java:
//   Tensor A = Torch.floatTensor(List.of(List.of(1, 2, 3), List.of(4, 5, 6)))   // torch.FloatTensor([[1,2,3],[4,5,6]])
//   A.shape()                                                                   // A.shape
//   A.get("0, 1:")                                                              // A[0, 1:]
//   Torch.zeros(2, 3)                                                           // torch.zeros(2, 3)
//   Torch.arange(0L, 10L).get("0:10:2")                                         // torch.arange(0, 10)[0:10:2]
//   A.t().reshape(6)                                                            // A.t().reshape(6)
//   Tensor w = Torch.randn(3).requiresGrad_();  w.square().sum().backward();  w.grad()
// /help lists JShell's commands; /exit leaves.
System.out.println("Flambeau on " + Torch.defaultDevice() + ": io.flambeau.*, io.flambeau.nn.*, io.flambeau.optim.* imported");
