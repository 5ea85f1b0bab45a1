"""Terraform's CIDR functions (`cidrhost`, `cidrnetmask`, `cidrsubnet`, `cidrsubnets`), on
integers as go-cidr computes them. A prefix Python's parser rejects (Terraform's accepts a few
more spellings, such as leading zeros) is unknown, not an error."""

from __future__ import annotations

import ipaddress

from analyzer.hcl.values import EvalError, Undecided, Value, function, need_int, need_text
from analyzer.model import Unknown

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _network(value: Value) -> Network:
    text = need_text(value, "a CIDR prefix")
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        if "/" not in text:
            raise EvalError(f"invalid CIDR address: {text}") from None
        raise Undecided(Unknown(f"the CIDR prefix {text!r} is not evaluated here")) from None


def _text(network: Network, address: int, length: int | None = None) -> str:
    ip = ipaddress.IPv4Address(address) if network.version == 4 else ipaddress.IPv6Address(
        address)
    return str(ip) if length is None else f"{ip}/{length}"


@function("cidrhost", 2)
def _cidrhost(prefix: Value, hostnum: Value) -> str:
    network, number = _network(prefix), need_int(hostnum)
    size = network.num_addresses
    offset = number if number >= 0 else size + number
    if not 0 <= offset < size:
        raise EvalError(f"prefix of {network.prefixlen} does not accommodate a host numbered "
                        f"{number}")
    return _text(network, int(network.network_address) + offset)


@function("cidrnetmask", 1)
def _cidrnetmask(prefix: Value) -> str:
    network = _network(prefix)
    if network.version != 4:
        raise EvalError("only IPv4 networks are supported")
    return str(network.netmask)


@function("cidrsubnet", 3)
def _cidrsubnet(prefix: Value, newbits: Value, netnum: Value) -> str:
    network, bits, number = _network(prefix), need_int(newbits), need_int(netnum)
    length = network.prefixlen + bits
    if bits < 0 or number < 0:  # go-cidr then computes odd prefixes, not modelled
        raise Undecided(Unknown("cidrsubnet() with a negative argument is not evaluated"))
    if length > network.max_prefixlen:
        raise EvalError(f"insufficient address space to extend prefix of {network.prefixlen} "
                        f"by {bits}")
    if not 0 <= number < 2**bits:
        raise EvalError(f"prefix extension of {bits} does not accommodate a subnet numbered "
                        f"{number}")
    start = int(network.network_address) + (number << (network.max_prefixlen - length))
    return _text(network, start, length)


@function("cidrsubnets", 1, None)
def _cidrsubnets(prefix: Value, *newbits: Value) -> list[str]:
    network = _network(prefix)
    width, base = network.max_prefixlen, network.prefixlen
    extensions = [need_int(bits) for bits in newbits]
    if not extensions:
        return []
    top = 2**width
    first = base + extensions[0]
    current = ((int(network.network_address) - 1) % top, min(first, width))  # the one before
    current = (_mask(current[0], current[1], width), current[1])
    out: list[str] = []
    for bits in extensions:
        if bits < 1:
            raise EvalError("must extend prefix by at least one bit")
        if bits > width:
            raise EvalError(f"may not extend prefix by more than {width} bits")
        length = base + bits
        if length > width:
            raise EvalError(f"would extend prefix to {length} bits, which is too long for an "
                            f"IPv{network.version} address")
        last = current[0] + 2 ** (width - current[1]) - 1
        start = _mask(last, length, width)
        following = start + 2 ** (width - length)
        if following >= top or not _contains(network, following % top):
            raise EvalError(f"not enough remaining address space for a subnet with a prefix of "
                            f"{length} bits after {_text(network, *current)}")
        current = (following, length)
        out.append(_text(network, following, length))
    return out


def _mask(address: int, length: int, width: int) -> int:
    return address & ~((1 << (width - length)) - 1)


def _contains(network: Network, address: int) -> bool:
    start = int(network.network_address)
    return start <= address < start + network.num_addresses
