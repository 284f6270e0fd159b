#!/usr/bin/python3
"""A province on N nodes (issue 17): the model behind bench/cluster.sh.

Measured here (arguments, from bench/cluster.sh):
  c   CPU seconds to ingest one A4 page (--jobs 1), everything included
  r,w bytes read (the original) and written (shard archive) per page
  t0  seconds of a task with nothing to read (process, SQLite, a walk)
  e   CPU seconds to load the OCR engine, once per worker
  wk  seconds per input file for the walk of the whole input, which
      every task does to find its share (names only)
  m   seconds to merge one page (checks of every blob included),
      measured on real A4 shard archives; its growth on small pages
Parameters (a cluster's, not measured here):
  cores per node, shared storage MB/s, Slurm's start of a task, the
  efficiency of --jobs on a node (0.9: 1.8x on 2 cores, notes/archive.md)

A node runs one array task ('sohoa ingest --shard K/N --jobs CORES').
Folders go to shards by a hash of their path (a document can go on over
the files of a folder), so shards differ in size: with folders of f pages
the slowest holds about P/N + sqrt(2 (P/N) f ln N) pages.
  T_ingest(N) = start + t0 + e + F wk + max_share c / (cores eff),
                at least P (r + w) / storage when storage is the limit
  T_merge     = max(P m, 3 P w / storage)   one node, one transaction
                (a shard's blobs are read to check them, then copied)
  efficiency  = T_1 / (N T_N), T_1 a single node's plain ingest (no merge)
"""
import argparse
import math


def fit(xs, ys, deg):
    """Least squares polynomial fit, coefficients from the highest power."""
    n = deg + 1
    a = [[sum(x ** (i + j) for x in xs) for j in range(n)] for i in range(n)]
    b = [sum(y * x ** i for x, y in zip(xs, ys)) for i in range(n)]
    for i in range(n):                      # Gauss-Jordan
        p = max(range(i, n), key=lambda r: abs(a[r][i]))
        a[i], a[p], b[i], b[p] = a[p], a[i], b[p], b[i]
        for r in range(n):
            if r != i and a[i][i]:
                f = a[r][i] / a[i][i]
                a[r] = [u - f * v for u, v in zip(a[r], a[i])]
                b[r] -= f * b[i]
    return [b[i] / a[i][i] for i in range(n)][::-1]


def hours(s):
    return s / 3600.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--a4', required=True)        # pages wall cpu read written
    ap.add_argument('--start-page', required=True)  # wall user sys
    ap.add_argument('--start-none', required=True)
    ap.add_argument('--walk', required=True)      # files wall user sys
    ap.add_argument('--merge-a4', required=True)  # pages wall user sys
    ap.add_argument('--growth', required=True)    # file: pages wall user sys
    ap.add_argument('--cores', type=int, default=16)
    ap.add_argument('--storage-mbps', type=float, default=200)
    ap.add_argument('--slurm-start', type=float, default=2)
    ap.add_argument('--eff', type=float, default=0.9)
    ap.add_argument('--pages', type=int, default=1000000)
    ap.add_argument('--pages-per-file', type=float, default=1)
    # a dossier folder: the unit that goes to a shard
    ap.add_argument('--folder-pages', type=float, default=50)
    a = ap.parse_args()

    pages, wall, cpu, rd, wr = (float(v) for v in a.a4.split())
    c = cpu / pages
    r, w = rd / pages, wr / pages
    sp = [float(v) for v in a.start_page.split()]
    sn = [float(v) for v in a.start_none.split()]
    t0 = sn[0]
    e = max(0.0, sp[1] + sp[2] - sn[1] - sn[2] - c)
    wf = [float(v) for v in a.walk.split()]
    wk = max(0.0, wf[1] - t0) / wf[0]
    mg = [float(v) for v in a.merge_a4.split()]
    m = mg[1] / mg[0]
    growth = [[float(v) for v in line.split()]
              for line in open(a.growth) if line.strip()]

    print('\nmeasured here')
    print('  ingest, A4 page    : %.3f s CPU a page (%d pages, %.1f s wall'
          ' on this shared machine)' % (c, pages, wall))
    print('  bytes a page       : %.0f KB read (original), %.0f KB written'
          ' (shard archive)' % (r / 1024, w / 1024))
    print('  task start         : %.2f s a run with nothing to read,'
          ' %.2f s CPU engine load' % (t0, e))
    print('  walk of the input  : %.1f us a file (%d files, %.2f s)'
          % (wk * 1e6, wf[0], wf[1]))
    print('  merge, A4 page     : %.1f ms a page (%d pages, %.2f s wall,'
          ' %.2f s CPU)' % (1000 * m, mg[0], mg[1], mg[2] + mg[3]))
    print('  merge growth (small pages, one merge each):')
    for p, gw, gu, gs in growth:
        print('    %5d pages: %7.2f s wall, %6.2f s CPU, %5.2f ms a page'
              % (p, gw, gu + gs, 1000 * gw / p))
    if len(growth) >= 3:
        xs = [g[0] for g in growth]
        ys = [g[1] for g in growth]
        b1, b0 = fit(xs, ys, 1)
        q2, _, _ = fit(xs, ys, 2)
        big = xs[-1]
        share = q2 * big * big / ys[-1]
        first, last = ys[0] / xs[0], ys[-1] / xs[-1]
        print('    linear fit: %.3f s + %.2f ms a page; the quadratic term'
              ' is %+.1f%% of the time at %d pages; time a page at %dx the'
              ' pages: %.2fx' % (b0, 1000 * b1, 100 * share, big,
                                 big / xs[0], last / first))

    P = a.pages
    F = P / a.pages_per_file
    B = a.storage_mbps * 1e6
    rate_node = a.cores * a.eff / c            # pages a second, one node
    t1 = t0 + e + P / rate_node                # one node, plain ingest
    print('\nmodel: %d pages (%d files, folders of %g pages), %d cores a'
          ' node at %.0f%% each, shared storage %.0f MB/s, %.0f s to start'
          ' a task' % (P, F, a.folder_pages, a.cores, 100 * a.eff,
                       a.storage_mbps, a.slurm_start))
    print('one node, plain ingest (no merge): %.1f h\n' % hours(t1))
    print('| nodes | ingest (h) | of which storage-bound | merge (h)'
          ' | total (h) | speedup | efficiency | ingest alone |')
    print('|------:|-----------:|:----------------------:|----------:'
          '|----------:|--------:|-----------:|-------------:|')
    for n in (1, 2, 5, 10, 20, 50, 100):
        share = P / n
        top = (share + math.sqrt(2 * share * a.folder_pages * math.log(n))
               if n > 1 else share)
        compute = a.slurm_start + t0 + e + F * wk + top / rate_node
        storage = P * (r + w) / B
        ingest = max(compute, storage)
        merge = max(P * m, 3 * P * w / B)
        total = ingest + merge
        print('| %5d | %10.2f | %22s | %9.2f | %9.2f | %7.1f | %9.0f%% '
              '| %11.0f%% |' % (n, hours(ingest), 'yes' if storage > compute
                                else 'no', hours(merge), hours(total),
                                t1 / total, 100 * t1 / (n * total),
                                100 * t1 / (n * ingest)))


if __name__ == '__main__':
    main()
