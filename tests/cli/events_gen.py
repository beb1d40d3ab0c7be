#!/usr/bin/env python3
"""Deterministic CloudTrail-shaped events for tests/cli/events_test.sh.

A week of normal activity for six callers (people at work hours from one or
two addresses, automation around the clock) and three injected attacks:
alice's credentials used at 03:10 UTC from a new address and tool, a burst of
AccessDenied by bob, and StopLogging by the deploy role. Writes EVENTS (JSON
Lines, mostly CloudTrail records, a few log-file objects and flat events,
slightly out of time order) and LABELS (id,label with 1 for injected).

usage: events_gen.py EVENTS LABELS [--scale N]   (N times the normal events)
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

ACCOUNT = "123456789012"
START = datetime(2026, 1, 5, tzinfo=timezone.utc)


def user(name):
    return {"type": "IAMUser", "principalId": "AIDA" + name.upper(), "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "accountId": ACCOUNT, "userName": name}


def role(name):
    return {"type": "AssumedRole", "principalId": "AROA" + name.upper() + ":session",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{name}/session", "accountId": ACCOUNT}


PEOPLE = {
    "alice": (["198.51.100.10", "198.51.100.11"], ["aws-cli/2.15.0 Python/3.11", "console.amazonaws.com"],
              [("s3", "GetObject", 30), ("s3", "ListBuckets", 10), ("s3", "PutObject", 15),
               ("ec2", "DescribeInstances", 20), ("sagemaker", "DescribeModel", 10)]),
    "bob": (["198.51.100.20"], ["console.amazonaws.com"],
            [("ec2", "DescribeInstances", 30), ("ec2", "StartInstances", 5), ("ec2", "StopInstances", 5),
             ("cloudwatch", "GetMetricData", 30), ("logs", "FilterLogEvents", 20)]),
    "carol": (["198.51.100.30", "192.0.2.44"], ["Boto3/1.34.0 Python/3.12"],
              [("sagemaker", "CreateTrainingJob", 5), ("sagemaker", "DescribeTrainingJob", 30),
               ("s3", "GetObject", 40), ("s3", "PutObject", 20), ("ecr", "GetAuthorizationToken", 5)]),
}
ROBOTS = {
    "ci-deploy": ("10.0.0.5", "Boto3/1.34.0 Python/3.12 ci",
                  [("lambda", "UpdateFunctionCode", 10), ("lambda", "GetFunction", 40),
                   ("cloudformation", "DescribeStacks", 40), ("s3", "PutObject", 10)], 20),
    "model-server": ("10.0.1.7", "aws-sdk-java/2.25", [("s3", "GetObject", 60), ("kms", "Decrypt", 40)], 10),
    "metrics": ("10.0.2.9", "aws-sdk-go/1.50", [("cloudwatch", "PutMetricData", 100)], 15),
}


def pick(rng, actions):
    total = sum(w for _, _, w in actions)
    x = rng.uniform(0, total)
    for src, name, w in actions:
        x -= w
        if x <= 0:
            return src, name
    return actions[-1][0], actions[-1][1]


def record(rng, when, identity, src, name, ip, agent, error=None, extra=None):
    r = {"eventVersion": "1.09", "userIdentity": identity,
         "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": f"{src}.amazonaws.com",
         "eventName": name, "awsRegion": "eu-west-1", "sourceIPAddress": ip, "userAgent": agent,
         "requestParameters": {"bucketName": "models"} if src == "s3" else None, "responseElements": None,
         "eventID": "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                                     rng.getrandbits(12), rng.getrandbits(48)),
         "readOnly": name.startswith(("Get", "Describe", "List")), "eventType": "AwsApiCall",
         "recipientAccountId": ACCOUNT}
    if error:
        r["errorCode"] = error
        r["errorMessage"] = "User is not authorized to perform this action"
    if extra:
        r.update(extra)
    return r


def main():
    events_path, labels_path = sys.argv[1], sys.argv[2]
    scale = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--scale" else 1
    rng = random.Random(20260105)
    out = []  # (time, record, label)
    for day in range(7 * scale):
        base = START + timedelta(days=day % 7, weeks=day // 7)
        weekday = base.weekday() < 5
        for name, (ips, agents, actions) in PEOPLE.items():
            if not weekday:
                continue
            for _ in range(rng.randint(40, 70)):
                when = base + timedelta(hours=rng.uniform(8, 18))
                src, act = pick(rng, actions)
                error = "AccessDenied" if rng.random() < 0.01 else None
                out.append((when, record(rng, when, user(name), src, act, rng.choice(ips), rng.choice(agents), error), 0))
        for name, (ip, agent, actions, per_hour) in ROBOTS.items():
            for hour in range(24):
                for _ in range(rng.randint(per_hour // 2, per_hour)):
                    when = base + timedelta(hours=hour + rng.random())
                    src, act = pick(rng, actions)
                    out.append((when, record(rng, when, role(name), src, act, ip, agent), 0))
    # Injected: stolen credentials used at night from a new address and tool.
    night = START + timedelta(days=4, hours=3, minutes=10)
    for i, (src, act) in enumerate([("s3", "ListBuckets"), ("s3", "GetObject"), ("iam", "CreateAccessKey")]):
        when = night + timedelta(minutes=2 * i)
        out.append((when, record(rng, when, user("alice"), src, act, "203.0.113.9", "python-requests/2.31"), 1))
    # Injected: bob probing what he may do, denied again and again.
    burst = START + timedelta(days=3, hours=14, minutes=5)
    probes = [("iam", "ListUsers"), ("iam", "ListRoles"), ("secretsmanager", "ListSecrets"), ("iam", "GetAccountAuthorizationDetails"),
              ("s3", "GetBucketPolicy"), ("kms", "ListKeys"), ("ec2", "DescribeInstances")]
    for i in range(15):
        when = burst + timedelta(seconds=20 * i)
        src, act = probes[i % len(probes)]
        out.append((when, record(rng, when, user("bob"), src, act, "198.51.100.20", "console.amazonaws.com",
                                 "AccessDenied"), 1))
    # Injected: the deploy role switches off the trail.
    when = START + timedelta(days=5, hours=12, minutes=30)
    out.append((when, record(rng, when, role("ci-deploy"), "cloudtrail", "StopLogging", "10.0.0.5",
                             "Boto3/1.34.0 Python/3.12 ci"), 1))

    out.sort(key=lambda t: t[0])
    # Delivery is roughly, not strictly, in time order.
    for i in range(0, len(out) - 1, 7):
        out[i], out[i + 1] = out[i + 1], out[i]
    with open(events_path, "w") as ev, open(labels_path, "w") as lab:
        lab.write("id,label\n")
        i = 0
        while i < len(out):
            when, rec, label = out[i]
            if i % 500 == 3 and i + 3 < len(out):
                group = out[i:i + 3]
                ev.write(json.dumps({"Records": [g[1] for g in group]}) + "\n")
                for g in group:
                    lab.write(f"{g[1]['eventID']},{g[2]}\n")
                i += 3
                continue
            if i % 250 == 5 and label == 0:
                flat = {"id": rec["eventID"], "caller": rec["userIdentity"]["arn"],
                        "action": rec["eventSource"].split(".")[0] + ":" + rec["eventName"],
                        "source_ip": rec["sourceIPAddress"], "user_agent": rec["userAgent"],
                        "time": rec["eventTime"], "error_code": rec.get("errorCode")}
                ev.write(json.dumps(flat) + "\n")
            else:
                ev.write(json.dumps(rec) + "\n")
            lab.write(f"{rec['eventID']},{label}\n")
            i += 1


if __name__ == "__main__":
    main()
