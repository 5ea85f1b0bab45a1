"""Terraform's numbers: binary floats with a 512-bit mantissa (cty's `big.Float`), exact here.

Checked against `terraform console` (tests/hcl/data/function_cases.txt): `0.1 + 0.2` is `0.3`,
`1/3` prints 155 digits, `pow(2, 100)` prints `1267650600228229400000000000000` (pow and log
compute in float64, so their results carry 53 bits). Three Python forms stand for them:

- `int`: an integer (exact; past 512 bits rounded to 512, as Terraform rounds it);
- `float`: a value with a 53-bit mantissa (float64 results of pow, log), that is a Python float;
- `Real`: any other value (512 bits, or the exact product of two float64 results), a `float`
  subclass holding the exact `Fraction` and its precision, so that code that only needs an
  approximation (a PITR period, a `count`) may read it as a float.

Arithmetic (`arithmetic`) rounds to the larger precision of its operands, as big.Float does, but
a product keeps the bits it needs (cty's Multiply: `pow(2, 0.5) * pow(3, 0.5)` prints 32
digits); `text` prints as Terraform does (Go's shortest decimal that reads back to the same
binary value at that precision, never an exponent).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

PRECISION = 512  # cty parses number literals and computes with 512 bits of mantissa
_FLOAT64 = 53
MAX_BITS = 13_000  # a number past 2**13000 (about 3,900 digits) is not evaluated
MAX_DIGITS = 3_900
Exact = int | Fraction


class NumberTooLarge(ValueError):
    """A value whose size a hostile expression could make unbounded (`1e999999999`)."""


class Real(float):
    """A number of `bits` of mantissa: the float value approximates, `exact` is the value."""

    __slots__ = ("bits", "exact")
    exact: Exact
    bits: int

    def __new__(cls, exact: Exact, bits: int = PRECISION) -> Real:
        try:
            self = super().__new__(cls, float(exact))
        except OverflowError:
            raise NumberTooLarge("the number is too large to evaluate") from None
        self.exact, self.bits = exact, bits
        return self

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            return self.exact == exact(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        same = self.__eq__(other)
        return same if same is NotImplemented else not same

    def __hash__(self) -> int:
        return hash(self.exact)

    def __lt__(self, other: object) -> bool:
        return self.exact < exact(other)  # type: ignore[arg-type]

    def __le__(self, other: object) -> bool:
        return self.exact <= exact(other)  # type: ignore[arg-type]

    def __gt__(self, other: object) -> bool:
        return self.exact > exact(other)  # type: ignore[arg-type]

    def __ge__(self, other: object) -> bool:
        return self.exact >= exact(other)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"Real({text(self)})"

    def __reduce__(self) -> tuple[object, ...]:
        return (Real, (self.exact, self.bits))


def exact(number: float) -> Exact:
    """The exact value of a number in any of its forms."""
    if isinstance(number, Real):
        return number.exact
    if isinstance(number, float):
        return Fraction(number)
    return number


def precision(number: float) -> int:
    if isinstance(number, Real):
        return number.bits
    return _FLOAT64 if isinstance(number, float) else PRECISION


def _min_bits(value: Exact) -> int:
    """big.Float's MinPrec: the bits from the highest to the lowest one that is set."""
    numerator = abs(Fraction(value).numerator)  # the denominator is a power of two
    lowest = (numerator & -numerator).bit_length()
    return 0 if numerator == 0 else numerator.bit_length() - lowest + 1


def rounded(value: Exact, bits: int = PRECISION) -> Exact:
    """`value` rounded to `bits` of mantissa, to nearest, ties to even (big.Float's default)."""
    if value == 0:
        return 0
    magnitude = abs(Fraction(value))
    numerator, denominator = magnitude.as_integer_ratio()
    top = numerator.bit_length() - denominator.bit_length()  # 2**top <= magnitude < 2**(top+2)
    if Fraction(2) ** top > magnitude:
        top -= 1
    if top > MAX_BITS or top < -MAX_BITS:
        raise NumberTooLarge("the number is too large or too small to evaluate")
    shift = top - bits + 1  # the weight of the mantissa's last bit
    if isinstance(value, int) and shift <= 0:
        return value
    scaled = magnitude / Fraction(2) ** shift
    mantissa = round(scaled)  # Fraction rounds half to even
    result = Fraction(mantissa) * Fraction(2) ** shift
    result = result if value > 0 else -result
    return int(result) if result.denominator == 1 else result


def number(value: Exact, bits: int = PRECISION) -> int | float:
    """The form that holds `value` rounded to `bits`: an int when integral and exact in its
    text, else a float of 53 bits or a Real."""
    value = rounded(value, bits)
    if isinstance(value, int) and (bits >= PRECISION or value.bit_length() <= bits):
        return value
    if bits == _FLOAT64:
        try:
            return float(value)
        except OverflowError:
            raise NumberTooLarge("the number is too large to evaluate") from None
    return Real(value, bits)


def parse(literal: str) -> int | float:
    """A decimal literal ("5", "-1.5", "1e3") at 512 bits."""
    power = literal.lower().partition("e")[2]
    if len(literal) > MAX_DIGITS or (power and abs(int(power)) > MAX_DIGITS):
        raise NumberTooLarge("the number is too large or too small to evaluate")
    return number(Fraction(literal))


def whole(text: str, base: int = 10) -> int:
    """An integer's digits (a sign allowed); one too long to evaluate raises NumberTooLarge."""
    if len(text) > MAX_DIGITS:
        raise NumberTooLarge("the number is too large to evaluate")
    return int(text, base)


def arithmetic(operator: str, a: float, b: float) -> int | float:
    """`a op b` for + - * / % at the larger precision of the operands; `/` by zero raises
    ZeroDivisionError (Terraform's infinity, which no verdict needs)."""
    bits = max(precision(a), precision(b))
    x, y = exact(a), exact(b)
    if operator == "+":
        return number(x + y, bits)
    if operator == "-":
        return number(x - y, bits)
    if operator == "*":
        product = rounded(x * y)
        return number(product, max(bits, _min_bits(product)))
    if y == 0 and operator == "%":
        return a  # Terraform's `x % 0` is x
    if y == 0:
        raise ZeroDivisionError("division by zero")
    quotient = Fraction(x) / Fraction(y)
    if operator == "/":
        return number(quotient, bits)
    # Terraform's modulo keeps the sign of the dividend (truncated division)
    truncated = int(quotient)  # int() truncates towards zero
    return number(x - y * truncated, bits)


def negate(value: float) -> int | float:
    return Real(-value.exact, value.bits) if isinstance(value, Real) else -value


def text(value: float) -> str:
    """The number as Terraform prints it: Go's `Text('f', -1)`, the shortest decimal that reads
    back to the same value at its precision, with no exponent."""
    value_exact = exact(value)
    if isinstance(value_exact, int) and value_exact.bit_length() <= precision(value):
        return str(value_exact)
    digits, point = _shortest(abs(Fraction(value_exact)), precision(value))
    sign = "-" if value_exact < 0 else ""
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def decimal(value: float) -> Decimal:
    """The exact value as a Decimal (a binary fraction has a finite decimal expansion)."""
    numerator, denominator = Fraction(exact(value)).as_integer_ratio()
    scale = denominator.bit_length() - 1
    return Decimal(f"{numerator * 5**scale}E-{scale}")  # exact: no context rounding


def _decimal(value: Fraction) -> tuple[str, int]:
    """The exact decimal digits of a binary fraction (no leading or trailing zeros) and the
    position of the decimal point: value = 0.DIGITS * 10**point."""
    numerator, denominator = value.as_integer_ratio()
    scale = denominator.bit_length() - 1  # denominator is a power of two
    scaled = numerator * 5**scale  # value = scaled / 10**scale
    digits = str(scaled)
    point = len(digits) - scale
    stripped = digits.rstrip("0")
    return stripped, point


def _shortest(value: Fraction, bits: int) -> tuple[str, int]:
    """Go's big.Float roundShortest: the fewest digits that tell the value from its neighbours
    half an ulp away (inclusive when the mantissa is even, as rounding to even reads back)."""
    digits, point = _decimal(value)
    numerator, denominator = value.as_integer_ratio()
    top = numerator.bit_length() - denominator.bit_length()
    if Fraction(2) ** top > value:
        top -= 1
    shift = top - bits  # the weight of half an ulp
    mantissa = int(value / Fraction(2) ** shift)  # bits + 1 bits, the last one zero
    lower, _ = _decimal((mantissa - 1) * Fraction(2) ** shift)
    upper, _ = _decimal((mantissa + 1) * Fraction(2) ** shift)
    inclusive = mantissa & 2 == 0
    for i, digit in enumerate(digits):
        low = lower[i] if i < len(lower) else "0"
        up = upper[i] if i < len(upper) else "0"
        okdown = low != digit or (inclusive and i + 1 == len(lower))
        okup = digit != up and (inclusive or int(digit) + 1 < int(up) or i + 1 < len(upper))
        if okdown and okup:
            return _round(digits, point, i + 1, _rounds_up(digits, i + 1))
        if okdown:
            return _round(digits, point, i + 1, False)
        if okup:
            return _round(digits, point, i + 1, True)
    return digits, point


def decimal_digits(value: Exact, count: int) -> tuple[str, int]:
    """A positive value's decimal digits rounded to `count` significant ones (ties to even),
    trailing zeros dropped, and its point: value ~ 0.DIGITS * 10**point."""
    digits, point = _decimal(Fraction(value))
    if len(digits) <= count:
        return digits, point
    return _round(digits, point, count, _rounds_up(digits, count))


def _rounds_up(digits: str, n: int) -> bool:
    if n >= len(digits):
        return False
    if digits[n] == "5" and n + 1 == len(digits):  # exactly half way: to even
        return n > 0 and int(digits[n - 1]) % 2 == 1
    return digits[n] >= "5"


def _round(digits: str, point: int, n: int, up: bool) -> tuple[str, int]:
    kept = digits[:n]
    if not up:
        return kept.rstrip("0") or "0", point
    bumped = str(int(kept) + 1)
    if len(bumped) > len(kept):  # 999 -> 1000
        point += 1
    return bumped.rstrip("0"), point


# Go's float64 library, which Terraform's pow and log use: its results differ from C's in the
# last bit (log(9, 3) is 2.0000000000000004 in Terraform), and a ceil() can tell.
_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10
_LOG_TERMS = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
              2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
              1.479819860511658591e-01)


def go_log(x: float) -> float:
    """Go's math.Log (FreeBSD's e_log.c) for a finite x > 0."""
    l1, l2, l3, l4, l5, l6, l7 = _LOG_TERMS
    f1, ki = math.frexp(x)
    if f1 < math.sqrt(2) / 2:
        f1, ki = f1 * 2, ki - 1
    f, k = f1 - 1, float(ki)
    s = f / (2 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)))
    t2 = s4 * (l2 + s4 * (l4 + s4 * l6))
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + t1 + t2) + k * _LN2_LO)) - f)


def go_pow(x: float, y: float) -> float | None:
    """Go's math.Pow where it needs no Exp: whole exponents by its repeated squaring of the
    mantissa, and the square roots; None for what it computes through Exp and Log."""
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if y in (0.5, -0.5) and x > 0:
        return math.sqrt(x) if y > 0 else 1 / math.sqrt(x)
    whole = abs(y)
    if not whole.is_integer() or x == 0 or whole >= 1 << 63:
        return None
    a1, ae = 1.0, 0
    x1, xe = math.frexp(x)
    i = int(whole)
    while i != 0:
        if xe < -(1 << 12) or xe > (1 << 12):
            ae += xe  # overflow: ldexp decides
            break
        if i & 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if y < 0:
        a1, ae = 1 / a1, -ae
    return math.ldexp(a1, ae)
