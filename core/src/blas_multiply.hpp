#pragma once
// Matrix products of the traces, in OpenBLAS (core's private dependency).

#include <cblas.h>

#include <Eigen/Core>

namespace abh::blas {

// C = op(A)·B on column-major storage that Eigen owns; `rows`, `cols` and
// `depth` are C's rows, C's columns and the shared dimension. Called inside
// a parallel region OpenBLAS (its OpenMP build) stays on the calling thread;
// outside it uses the process's threads.
inline void multiply(bool transpose_a, Eigen::Index rows, Eigen::Index cols, Eigen::Index depth,
                     const float* a, Eigen::Index lda, const float* b, Eigen::Index ldb, float* c,
                     Eigen::Index ldc) {
  const auto i = [](Eigen::Index v) { return static_cast<blasint>(v); };
  cblas_sgemm(CblasColMajor, transpose_a ? CblasTrans : CblasNoTrans, CblasNoTrans, i(rows), i(cols),
              i(depth), 1.0f, a, i(lda), b, i(ldb), 0.0f, c, i(ldc));
}

} // namespace abh::blas
