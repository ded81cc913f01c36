import assert from "node:assert/strict";
import { test } from "node:test";
import { minimizeLbfgs, type Objective } from "../../src/classify/lbfgs.js";
import { lbfgsbLineSearch, moreThuente } from "../../src/classify/line-search.js";

/** Rosenbrock's valley, minimum 0 at (1, 1), and its gradient. */
const rosenbrock: Objective = (p, g) => {
  const [a, b] = [p[0]!, p[1]!];
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

test("L-BFGS finds the Rosenbrock minimum at (1, 1)", () => {
  const x = Float64Array.from([-1.2, 1]);
  const result = minimizeLbfgs(rosenbrock, x, { gtol: 1e-10, maxIter: 200 });
  assert.ok(result.converged, result.reason);
  assert.ok(Math.abs(x[0]! - 1) < 1e-8 && Math.abs(x[1]! - 1) < 1e-8, `${x}`);
});

test("L-BFGS solves an ill-conditioned quadratic to the gradient tolerance", () => {
  // f = ½ Σ cᵢ (xᵢ − i)² with curvatures from 1 to 10⁴.
  const n = 50;
  const curvature = Float64Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
  const x = new Float64Array(n);
  const result = minimizeLbfgs(
    (p, g) => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        g[i] = curvature[i]! * (p[i]! - i);
        f += 0.5 * curvature[i]! * (p[i]! - i) ** 2;
      }
      return f;
    },
    x,
    // ftol 0: only the gradient test may stop it. scipy's L-BFGS-B needs 784 iterations here.
    { gtol: 1e-6, ftol: 0, maxIter: 2000 },
  );
  assert.equal(result.reason, "gradient");
  assert.ok(result.iterations < 1000, `${result.iterations} iterations`);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(x[i]! - i) * curvature[i]! <= 1e-6);
});

test("L-BFGS stops at the iteration limit and says so", () => {
  const x = Float64Array.from([-1.2, 1]);
  const result = minimizeLbfgs(rosenbrock, x, { maxIter: 3 });
  assert.equal(result.iterations, 3);
  assert.equal(result.converged, false);
  assert.equal(result.reason, "max-iterations");
});

test("the line search returns a strong-Wolfe step on a one-dimensional function", () => {
  // φ(t) = (t − 3)² − 9 along a descent direction from t = 0: slope −6; minimum at t = 3.
  const point = { value: 0, slope: 0 };
  const result = moreThuente(
    (t, out) => {
      out.value = (t - 3) ** 2 - 9;
      out.slope = 2 * (t - 3);
      point.value = out.value;
      point.slope = out.slope;
    },
    0,
    -6,
    0.1,
    lbfgsbLineSearch,
  );
  assert.equal(result.status, "converged");
  assert.ok(point.value <= 0 + 1e-3 * result.step * -6);
  assert.ok(Math.abs(point.slope) <= 0.9 * 6);
  assert.equal(result.value, point.value);
});
