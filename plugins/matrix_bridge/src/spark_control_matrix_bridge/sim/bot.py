"""The simulated chat bot: what the bot image's container runs on a simulated node.

It prints what a Matrix bot prints (starting with the commit it was built from, login,
initial sync, then a sync line now and then), answers SIGTERM by shutting down
cleanly, and honours ``SPARK_SIM_FAILURE=hang`` by never finishing its start (the
container's healthcheck then stays ``starting``). Standard library only.
"""

import os
import signal
import sys
import time


def say(text: str, stream=sys.stdout) -> None:
    stream.write(time.strftime("%Y-%m-%d %H:%M:%S ") + text + "\n")
    stream.flush()


def stop(signum: int, frame: object) -> None:
    say("INFO Shutting down: closing the sync loop")
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
revision = os.environ.get("SPARK_SIM_BOT_REVISION", "unknown")
interval = float(os.environ.get("SPARK_SIM_BOT_SYNC_S", "2"))
say(f"INFO matrix-bridge-bot {revision[:12]} starting")
if os.environ.get("SPARK_SIM_FAILURE") == "hang":
    say("WARNING Homeserver does not answer; retrying", sys.stderr)
    while True:
        time.sleep(3600)
say("INFO Logged in as @bridge-bot:example.org (device SIMBOT)")
say("INFO Initial sync done: 3 rooms, 0 invites")
count = 0
while True:
    time.sleep(interval)
    count += 1
    say(f"INFO sync {count}: 0 new events")
