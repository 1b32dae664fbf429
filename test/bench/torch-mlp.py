"""
PyTorch reference for the 'training' benchmark (test/bench/training.ts): the network and training
step of src-main/learn/bench-training.ts, in PyTorch on the CPU.

  network  MLP 100 -> 256 -> 256 -> 8: two ReLU layers (He init) and a linear head; the input is
           50 time points x 2 channels (value, mask), the output the 'mean' head for 2 parameters
           (4 x 2 = 8: posterior means and variances)
  loss     the mean head's: squared loss of the means against the standardised targets, plus the
           squared loss of the variances against the squared residual (stop-gradient on the mean)
  step     Adam (lr 1e-3), global-norm gradient clipping at 10, batch 256, shuffled each epoch
  data     nRuns synthetic series, 5 % held out for validation (evaluated once per epoch, as there)

Usage: python3 torch-mlp.py THREADS [N_RUNS] [EPOCHS]
Run it with OPENBLAS_NUM_THREADS=THREADS and OMP_NUM_THREADS=THREADS in the environment (the
BLAS reads them at load time); torch.set_num_threads(THREADS) is called here. Prints one JSON
object: samples per wall second and per CPU second of the process, after one warm-up epoch.
"""
import json
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
n_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5120
epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(threads)
torch.manual_seed(1)

n_times, batch, val_fraction = 50, 256, 0.05
a = torch.randn(n_runs)
b = torch.randn(n_runs)
t = torch.arange(n_times, dtype=torch.float32) / n_times
values = a[:, None] + b[:, None] * t[None, :] + 0.3 * torch.randn(n_runs, n_times)
x = torch.stack([values, torch.ones_like(values)], dim=2).reshape(n_runs, 2 * n_times)
x = (x - x.mean(0)) / (x.std(0) + 1e-6)
theta = torch.stack([a, b], dim=1)
targets = torch.cat([theta, theta], dim=1)  # theta and z (the same here: normal priors)

n_val = round(n_runs * val_fraction)
x_train, y_train = x[n_val:], targets[n_val:]
x_val, y_val = x[:n_val], targets[:n_val]

net = torch.nn.Sequential(
    torch.nn.Linear(2 * n_times, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 256), torch.nn.ReLU(),
    torch.nn.Linear(256, 8),
)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)


def loss_of(out, y):
    mean, var = out[:, :4], out[:, 4:]
    resid2 = (y - mean.detach()) ** 2
    return ((mean - y) ** 2).mean() + ((var - resid2) ** 2).mean()


def epoch():
    perm = torch.randperm(x_train.shape[0])
    for i in range(0, x_train.shape[0], batch):
        idx = perm[i:i + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_of(net(x_train[idx]), y_train[idx])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
        opt.step()
        loss.item()  # the JS side reads every batch loss back (dataSync)
    with torch.no_grad():
        loss_of(net(x_val), y_val).item()


epoch()  # warm-up
wall0, cpu0 = time.perf_counter(), time.process_time()
for _ in range(epochs):
    epoch()
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
samples = epochs * x_train.shape[0]
print(json.dumps({
    "torch": torch.__version__, "threads": threads, "torchThreads": torch.get_num_threads(),
    "samples": samples, "samplesPerSec": samples / wall, "samplesPerCpuSec": samples / cpu,
    "blas": torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0] if "BLAS_INFO=" in torch.__config__.show() else None,
}))
