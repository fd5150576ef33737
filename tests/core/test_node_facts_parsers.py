"""The node-fact parsers read the real tools' output formats."""

from __future__ import annotations

from spark_control.node_facts import (
    DiskFacts,
    GpuFacts,
    MemoryFacts,
    VpnFacts,
    parse_df,
    parse_gpu_csv,
    parse_ip_addr,
    parse_meminfo,
    parse_uptime,
)

MEMINFO = """MemTotal:       131072000 kB
MemFree:         1200000 kB
MemAvailable:   98304000 kB
Buffers:           20480 kB
Cached:          4096000 kB
"""

_TAIL = "\\       valid_lft forever preferred_lft forever"
IP_ADDR = (
    f"1: lo    inet 127.0.0.1/8 scope host lo{_TAIL}\n"
    f"2: enP7s7    inet 192.0.2.11/24 brd 192.0.2.255 scope global dynamic enP7s7{_TAIL}\n"
    f"5: wg0    inet 10.66.0.2/24 scope global wg0{_TAIL}\n"
)

DF = """Filesystem     1024-blocks      Used  Available Capacity Mounted on
/dev/nvme0n1p2  3750000000 750000000 3000000000      21% /
"""


def test_gpu_csv_on_unified_memory_reports_memory_as_unknown() -> None:
    gpus = parse_gpu_csv("NVIDIA GB10, 37, 48, [N/A], [N/A]\n")
    assert gpus == [GpuFacts("NVIDIA GB10", 37.0, 48.0, None, None)]


def test_gpu_csv_with_dedicated_memory_and_several_gpus() -> None:
    gpus = parse_gpu_csv(
        "NVIDIA H100 80GB HBM3, 0, 31, 1024, 81559\nNVIDIA H100, 5, 33, 0, 81559\n"
    )
    assert gpus[0] == GpuFacts("NVIDIA H100 80GB HBM3", 0.0, 31.0, 1024.0, 81559.0)
    assert len(gpus) == 2


def test_gpu_csv_ignores_garbage() -> None:
    assert parse_gpu_csv("NVIDIA-SMI has failed because it couldn't communicate\n") == []


def test_meminfo_gives_total_and_available_bytes() -> None:
    assert parse_meminfo(MEMINFO) == MemoryFacts(131072000 * 1024, 98304000 * 1024, "meminfo")
    assert parse_meminfo("MemTotal: 1 kB\n") is None


def test_uptime_is_the_first_number() -> None:
    assert parse_uptime("350735.47 234388.90\n") == 350735.47
    assert parse_uptime("") is None


def test_df_posix_output_in_kib_blocks() -> None:
    assert parse_df(DF, "/") == DiskFacts("/", 3750000000 * 1024, 3000000000 * 1024)
    assert parse_df("Filesystem 1024-blocks Used Available Capacity Mounted on\n", "/") is None


def test_ip_addr_finds_the_wireguard_address_only() -> None:
    assert parse_ip_addr(IP_ADDR) == VpnFacts("wg0", "10.66.0.2")
    assert parse_ip_addr(IP_ADDR.replace("wg0", "tun0")) is None
