"""Talks to Python Dramatiq for PythonDramatiqInteropIT. Uses only Dramatiq's own code.

Usage (stdin and stdout are JSON):

  check                  prints {"version": dramatiq.__version__, "python": ...}
  decode                 stdin: [{"id": str, "body_b64": base64 of the exact body bytes}, ...]
                         stdout: [{"id", "ok": json.dumps(Message.decode(body).asdict()), "nested_messages"}
                                  or {"id", "error": str, "cause": repr}, ...]
  encode                 stdout: [{"id", "body_b64": base64(message.encode()), "message_id",
                                   "message_timestamp"}, ...] for messages built by Dramatiq itself
"""

import base64
import json
import sys

import dramatiq
from dramatiq import Message
from dramatiq.brokers.stub import StubBroker


def b64(data):
    return base64.b64encode(data).decode("ascii")


def check():
    return {"version": dramatiq.__version__, "python": sys.version.split()[0], "file": dramatiq.__file__}


def decode(cases):
    results = []
    for case in cases:
        body = base64.b64decode(case["body_b64"])
        try:
            message = Message.decode(body)
        except Exception as e:  # DecodeError, reported back to Java with its cause
            results.append({
                "id": case["id"],
                "error": "%s: %s" % (type(e).__name__, e),
                "cause": repr(getattr(e, "error", None)),
            })
            continue
        try:
            nested = nested_messages(message.options)
        except Exception as e:
            results.append({"id": case["id"], "error": "nested message dict refused: %s: %s" % (type(e).__name__, e)})
            continue
        # The message as Python holds it, written back with Python's default json.dumps (ASCII escapes,
        # ", " separators, repr floats, unlimited ints): the Java side decodes this and compares.
        results.append({
            "id": case["id"],
            "ok": json.dumps(message.asdict()),
            "args_is_tuple": type(message.args) is tuple,
            "nested_messages": nested,
        })
    return results


def nested_messages(options):
    """Builds Message(**dict) for pipe_target and group_completion_callbacks, recursively, as Dramatiq's
    Pipelines and GroupCallbacks middleware do; returns how many were built."""
    count = 0
    targets = []
    if options.get("pipe_target") is not None:
        targets.append(options["pipe_target"])
    targets.extend(options.get("group_completion_callbacks") or [])
    for target in targets:
        nested = Message(**target)
        count += 1 + nested_messages(nested.options)
    return count


FIXED_ID = "9b2f6c1e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"
FIXED_TS = 1735689600123


def encode():
    out = []

    def emit(case_id, message):
        out.append({
            "id": case_id,
            "body_b64": b64(message.encode()),
            "message_id": message.message_id,
            "message_timestamp": message.message_timestamp,
        })

    # Messages built directly with dramatiq.Message(...).
    emit("plain", Message(
        queue_name="default", actor_name="add", args=(1, 2), kwargs={}, options={},
        message_id=FIXED_ID, message_timestamp=FIXED_TS))
    emit("empty", Message(
        queue_name="default", actor_name="noop", args=(), kwargs={}, options={},
        message_id=FIXED_ID, message_timestamp=FIXED_TS))
    emit("unicode", Message(
        queue_name="default", actor_name="greet",
        args=("caf\u00e9", "\U0001F680 launch", "\u65e5\u672c\u8a9e", "\U0001F468\u200d\U0001F469\u200d\U0001F467",
              "\U0002000b", "tab\tnew\nline\r", "quote \" back \\ slash /", "\u2028\u2029", "\x01\x1f\x7f",
              "\u0645\u0631\u062d\u0628\u0627", "e\u0301"),
        kwargs={"na\u00efve": "\u00fcber", "\U0001F511": "\U0001F512"}, options={},
        message_id=FIXED_ID, message_timestamp=FIXED_TS))
    emit("numbers", Message(
        queue_name="math", actor_name="compute",
        args=(0, -1, 2**31 - 1, 2**31, 2**63 - 1, -2**63, 2**63, 2**64, -2**70, 10**30,
              0.1, 1e16, -2.5, 1.5e-07, 5e-324, 1.7976931348623157e308, 1.0, -0.0, 123456.789),
        kwargs={"big": 2**100, "ratio": 1 / 3},
        options={}, message_id=FIXED_ID, message_timestamp=FIXED_TS))
    emit("nested", Message(
        queue_name="default", actor_name="store",
        args=([1, [2, [3, [4, []]]]], {"a": {"b": {"c": None}}}),
        kwargs={"payload": {"items": [{"sku": "x-1", "qty": 3, "tags": ["a", "b"]}, {"sku": "y-2", "qty": 0}],
                            "flags": {"gift": True, "express": False, "note": None},
                            "empty_list": [], "empty_map": {}, "": "empty key", "dotted.key": 1}},
        options={}, message_id=FIXED_ID, message_timestamp=FIXED_TS))
    emit("options", Message(
        queue_name="default.DQ", actor_name="flaky", args=("x",), kwargs={},
        options={"retries": 3, "max_retries": 5, "min_backoff": 1000, "max_backoff": 60000,
                 "eta": 1735689660123, "requeue_timestamp": 1735689601000,
                 "traceback": 'Traceback (most recent call last):\n  File "tasks.py", line 7, in flaky\n'
                              '    raise ValueError("boom \u2603")\nValueError: boom \u2603\n',
                 "time_limit": 30000, "max_age": 3600000, "notify_shutdown": False, "on_success": "done",
                 "redis_message_id": "abc"},
        message_id=FIXED_ID, message_timestamp=FIXED_TS))

    # Messages built through an actor on a StubBroker, as an application would.
    broker = StubBroker()
    dramatiq.set_broker(broker)

    @dramatiq.actor(broker=broker, queue_name="interop", max_retries=3)
    def add(x, y):
        return x + y

    @dramatiq.actor(broker=broker, queue_name="interop")
    def report(result, label="sum"):
        pass

    emit("actor_message_with_options", add.message_with_options(
        args=(40, 2), kwargs={}, max_retries=7, time_limit=5000, custom={"k": [1, "\u00e9"]}))
    emit("actor_message_kwargs", report.message("r\u00e9sultat", label="\U0001F4CA"))

    pipe = dramatiq.pipeline([add.message(1, 2), add.message(3), report.message_with_options(pipe_ignore=True)],
                             broker=broker)
    for index, message in enumerate(pipe.messages):
        emit("pipeline_%d" % index, message)

    add.send(20, 22)
    sent = broker.queues["interop"].get_nowait()  # the exact bytes StubBroker enqueued
    decoded = Message.decode(sent)
    out.append({"id": "stub_send", "body_b64": b64(sent), "message_id": decoded.message_id,
                "message_timestamp": decoded.message_timestamp})

    add.send_with_options(args=(5, 6), delay=60000)
    delayed = broker.queues["interop.DQ"].get_nowait()
    decoded = Message.decode(delayed)
    out.append({"id": "stub_send_delayed", "body_b64": b64(delayed), "message_id": decoded.message_id,
                "message_timestamp": decoded.message_timestamp})
    return out


def main():
    mode = sys.argv[1]
    if mode == "check":
        result = check()
    elif mode == "decode":
        result = decode(json.load(sys.stdin))
    elif mode == "encode":
        result = encode()
    else:
        raise SystemExit("unknown mode %r" % mode)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
