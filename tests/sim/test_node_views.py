"""What a simulated node reports about itself: memory, disk, GPU, interfaces, and SSH
from the head node to a worker."""

from __future__ import annotations

import csv
import io
import json

from spark_control.sim import SimCluster
from spark_control.ssh import arg, const
from tests.sim.conftest import Shell
from tests.sim.fakes import WEB_MEMORY_GB, free_port

GIB_KB = 1024 * 1024


async def _meminfo(shell: Shell, cluster: SimCluster, node: str = "spark-1") -> dict[str, int]:
    path = cluster.nodes[node].proc_root / "meminfo"
    result = await shell.run("cat", arg.path(str(path)), node=node)
    fields = {}
    for line in result.stdout.splitlines():
        key, _, rest = line.partition(":")
        fields[key] = int(rest.split()[0])
    return fields


async def test_meminfo_follows_declared_memory(shell: Shell, cluster: SimCluster) -> None:
    before = await _meminfo(shell, cluster)
    assert before["MemTotal"] == 128 * GIB_KB
    assert 0 < before["MemAvailable"] < before["MemTotal"]

    await shell.start_web("mem-1", free_port(cluster.nodes["spark-1"].address))
    during = await _meminfo(shell, cluster)
    assert before["MemAvailable"] - during["MemAvailable"] == WEB_MEMORY_GB * GIB_KB
    # The worker's memory is its own.
    assert (await _meminfo(shell, cluster, "spark-2"))["MemAvailable"] == before["MemAvailable"]

    await shell.docker("stop", "mem-1")
    after = await _meminfo(shell, cluster)
    assert after["MemAvailable"] == before["MemAvailable"]
    await shell.docker("rm", "mem-1")

    uptime = await shell.run("cat", arg.path(str(cluster.nodes["spark-1"].proc_root / "uptime")))
    seconds, idle = (float(x) for x in uptime.stdout.split())
    assert seconds >= 0 and idle >= 0


async def _df(shell: Shell, cluster: SimCluster, *flags: str) -> tuple[list[str], list[str]]:
    disk_path = cluster.topology_config()["spark-2"]["disk_path"]
    result = await shell.run("df", *flags, arg.path(disk_path), node="spark-2")
    assert result.exit_status == 0, result.stderr
    header, line = result.stdout.splitlines()
    return header.split(), line.split()


async def test_df_reports_the_figures_the_cluster_is_told(
    shell: Shell, cluster: SimCluster
) -> None:
    cluster.set_disk("spark-2", 4_000_000_000_000, 1_500_000_000_000)
    try:
        header, row = await _df(shell, cluster, "-P", "-B1")
        assert header == [
            "Filesystem",
            "1-blocks",
            "Used",
            "Available",
            "Capacity",
            "Mounted",
            "on",
        ]
        assert row[1:4] == ["4000000000000", "2500000000000", "1500000000000"]
        assert row[4] == "63%" and row[5] == "/"

        cluster.set_disk("spark-2", 4_000_000_000_000, 1_000_000_000_000)
        header, row = await _df(shell, cluster, "-P", "-k")
        assert header[1] == "1024-blocks"
        assert int(row[3]) == -(-1_000_000_000_000 // 1024)
    finally:
        cluster.set_disk("spark-2", 3_720_000_000_000, 3_100_000_000_000)
    missing = await shell.run("df", "-P", "/no/such/dir", node="spark-2")
    assert missing.exit_status == 1 and "No such file or directory" in missing.stderr


async def _gpu(shell: Shell) -> list[str]:
    query = "--query-gpu=name,utilization.gpu,temperature.gpu,memory.total,memory.used"
    result = await shell.run("nvidia-smi", query, "--format=csv,noheader,nounits")
    rows = list(csv.reader(io.StringIO(result.stdout), skipinitialspace=True))
    assert len(rows) == 1
    return rows[0]


async def test_nvidia_smi_reports_na_memory_and_load(shell: Shell, cluster: SimCluster) -> None:
    name, util, temp, total, used = await _gpu(shell)
    assert name == "NVIDIA GB10" and (total, used) == ("[N/A]", "[N/A]")
    assert int(util) == 0 and int(temp) > 0

    await shell.start_web("gpu-1", free_port(cluster.nodes["spark-1"].address))
    busy = await _gpu(shell)
    assert int(busy[1]) > 50
    await shell.docker("rm", "-f", "gpu-1")
    assert int((await _gpu(shell))[1]) == 0

    listed = await shell.run("nvidia-smi", "-L")
    assert listed.stdout.startswith("GPU 0: NVIDIA GB10 (UUID: GPU-")
    table = await shell.run("nvidia-smi")
    assert "Not Supported" in table.stdout and "NVIDIA GB10" in table.stdout
    bad = await shell.run("nvidia-smi", "--query-gpu=bogus", "--format=csv")
    assert bad.exit_status == 2 and 'Field "bogus" is not a valid field' in bad.stderr


async def test_ip_shows_ethernet_and_wireguard(shell: Shell, cluster: SimCluster) -> None:
    node = cluster.nodes["spark-2"]
    result = await shell.run("ip", "-4", "-o", "addr", "show", node="spark-2")
    lines = {line.split()[1]: line for line in result.stdout.splitlines()}
    assert set(lines) == {"lo", "enP7s7", "wg0"}
    assert f"inet {node.address}/24 " in lines["enP7s7"]
    assert lines["wg0"].startswith("5: wg0    inet 10.66.0.2/24 scope global wg0\\")
    assert node.wg_address == "10.66.0.2/24"

    plain = await shell.run("ip", "-4", "addr", "show", "dev", "wg0", node="spark-2")
    assert plain.stdout.splitlines()[1] == "    inet 10.66.0.2/24 scope global wg0"
    as_json = json.loads((await shell.run("ip", "-j", "-4", "addr", node="spark-2")).stdout)
    assert [i["addr_info"][0]["local"] for i in as_json] == ["127.0.0.1", node.address, "10.66.0.2"]
    missing = await shell.run("ip", "addr", "show", "eth9")
    assert missing.exit_status == 1 and 'Device "eth9" does not exist.' in missing.stderr


async def test_head_node_reaches_the_worker_over_ssh(shell: Shell, cluster: SimCluster) -> None:
    worker = cluster.nodes["spark-2"]
    by_name = await shell.run("ssh", arg.host("spark-2"), "hostname")
    assert (by_name.exit_status, by_name.stdout) == (0, "spark-2\n")
    if not cluster.fallback_single_address:
        by_address = await shell.run(
            "ssh", "-o", "BatchMode=yes", "-p", str(worker.ssh_port), arg.host(worker.address),
            "printenv", "SPARK_SIM_NODE",
        )  # fmt: skip
        assert by_address.stdout == "spark-2\n"
    status = await shell.run("ssh", arg.host("spark-2"), "exit", "3")
    assert status.exit_status == 3
    cluster.set_node_down("spark-2", True)
    try:
        refused = await shell.run("ssh", arg.host("spark-2"), "true")
        assert refused.exit_status == 255 and "spark-2" in refused.stderr
    finally:
        cluster.set_node_down("spark-2", False)


async def test_head_reaches_the_worker_from_a_detached_script(shell: Shell) -> None:
    """A script run with nohup has /dev/null or a file on stdin; ssh must cope with both."""
    from_null = await shell.run("sh", "-c", const("ssh spark-2 hostname < /dev/null"))
    assert (from_null.exit_status, from_null.stdout) == (0, "spark-2\n")
    from_file = await shell.run(
        "sh", "-c", const("echo piped > in.txt && ssh spark-2 cat < in.txt")
    )
    assert (from_file.exit_status, from_file.stdout) == (0, "piped\n")
