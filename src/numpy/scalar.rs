//! Python floats and numpy float32 scalars under numpy 2's promotion rules (NEP 50).
//!
//! sacreBLEU computes a bootstrap resample's score from a float32 statistics
//! vector with the same Python code as the corpus score. Under NEP 50 a Python
//! float (or int) is "weak": combined with a numpy float32 it is first rounded
//! to float32 and the operation is done in float32, so `100. * correct / total`
//! is a float32 while `math.log(p)` is a Python float again. [`PyFloat`] tracks
//! which of the two a value is and rounds exactly where numpy does.

use std::cmp::Ordering;
use std::ops::{Add, Div, Mul, Sub};

/// A Python float (also a numpy float64, which never meets a float32 in the
/// code modelled here) or a numpy float32. Comparisons, like arithmetic, are
/// done in float32 when either side is a float32.
#[derive(Debug, Clone, Copy)]
pub enum PyFloat {
    /// A Python float: an IEEE double.
    Float(f64),
    /// A numpy `float32` scalar.
    Float32(f32),
}

impl PyFloat {
    /// The value as a double (exact for a float32).
    pub fn as_f64(self) -> f64 {
        match self {
            PyFloat::Float(x) => x,
            PyFloat::Float32(x) => f64::from(x),
        }
    }

    /// Whether this is a numpy float32.
    pub fn is_float32(self) -> bool {
        matches!(self, PyFloat::Float32(_))
    }

    /// Apply a binary operation with NEP 50 promotion: float32 if either side
    /// is a float32 (the other one rounded to float32 first), else double.
    fn promote(self, other: PyFloat, op64: fn(f64, f64) -> f64, op32: fn(f32, f32) -> f32) -> PyFloat {
        match (self, other) {
            (PyFloat::Float(a), PyFloat::Float(b)) => PyFloat::Float(op64(a, b)),
            (a, b) => PyFloat::Float32(op32(a.to_f32(), b.to_f32())),
        }
    }

    /// Round to float32 as numpy casts a Python float.
    fn to_f32(self) -> f32 {
        match self {
            PyFloat::Float(x) => x as f32,
            PyFloat::Float32(x) => x,
        }
    }

    /// `abs(x)`.
    pub fn abs(self) -> PyFloat {
        match self {
            PyFloat::Float(x) => PyFloat::Float(x.abs()),
            PyFloat::Float32(x) => PyFloat::Float32(x.abs()),
        }
    }
}

impl From<f64> for PyFloat {
    fn from(x: f64) -> PyFloat {
        PyFloat::Float(x)
    }
}

impl Add for PyFloat {
    type Output = PyFloat;
    fn add(self, other: PyFloat) -> PyFloat {
        self.promote(other, |a, b| a + b, |a, b| a + b)
    }
}

impl Sub for PyFloat {
    type Output = PyFloat;
    fn sub(self, other: PyFloat) -> PyFloat {
        self.promote(other, |a, b| a - b, |a, b| a - b)
    }
}

impl Mul for PyFloat {
    type Output = PyFloat;
    fn mul(self, other: PyFloat) -> PyFloat {
        self.promote(other, |a, b| a * b, |a, b| a * b)
    }
}

impl Div for PyFloat {
    type Output = PyFloat;
    fn div(self, other: PyFloat) -> PyFloat {
        self.promote(other, |a, b| a / b, |a, b| a / b)
    }
}

impl PartialEq for PyFloat {
    fn eq(&self, other: &PyFloat) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for PyFloat {
    fn partial_cmp(&self, other: &PyFloat) -> Option<Ordering> {
        match (*self, *other) {
            (PyFloat::Float(a), PyFloat::Float(b)) => a.partial_cmp(&b),
            (a, b) => a.to_f32().partial_cmp(&b.to_f32()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_python_float_meets_a_float32_in_float32() {
        let third = PyFloat::Float32(1.0) / PyFloat::Float(3.0);
        assert!(third.is_float32() && third.as_f64() == f64::from(1.0f32 / 3.0));
        let third = PyFloat::Float(1.0) / PyFloat::Float(3.0);
        assert!(!third.is_float32() && third.as_f64() == 1.0 / 3.0);
        // np.float32(0.1) > 0.1 is False: 0.1 is rounded to float32 first.
        assert!(PyFloat::Float32(0.1) <= PyFloat::Float(0.1));
        assert!(f64::from(0.1f32) > 0.1);
    }
}
