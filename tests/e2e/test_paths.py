"""Paths given on the command line are resolved once at start-up (issue 12).

A relative --data-dir used to reach runc unchanged, which resolved it against the bundle
directory a second time, so every task of the README's own demo failed with "invalid rootfs"
while every test, which passed absolute temporary directories, stayed green. Here the server
starts in another working directory with a relative --data-dir, as a user starts it, and a task
must reach RUNNING.
"""
import os
import shutil
import subprocess

import pytest

from alb_env import own_netns
from conftest import GantryProcess, client_for
from oci_images import build_busybox_image

ACCOUNT = "000000000000"
# Servers of its own, their data directories and logs.
pytestmark = pytest.mark.emulator_only


def test_listening_line_reports_the_absolute_data_dir(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    g = GantryProcess("state/gantry", cwd=str(work)).start()
    try:
        assert os.path.isfile(work / "state" / "gantry" / "gantry.db")
        assert " data_dir=%s " % (work / "state" / "gantry") in g.read_log()
    finally:
        g.stop()


@pytest.mark.privileged
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
@pytest.mark.skipif(shutil.which("runc") is None or shutil.which("skopeo") is None,
                    reason="needs runc and skopeo")
def test_task_runs_with_a_relative_data_dir_from_another_directory(tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    g = GantryProcess(".gantry", cwd=str(work)).start()
    try:
        ecr = client_for(g.endpoint, "ecr")
        ec2 = client_for(g.endpoint, "ec2")
        ecs = client_for(g.endpoint, "ecs")
        uri = ecr.create_repository(repositoryName="web")["repository"]["repositoryUri"]
        layout = build_busybox_image(tmp_path / "img", cmd=["httpd", "-f", "-p", "8080",
                                                            "-h", "/www"],
                                     extra_files={"/www/index.html": "hello\n"})
        r = subprocess.run(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                            "oci:%s:latest" % layout,
                            "docker://127.0.0.1:%d/web:latest" % g.port],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24",
                                   AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
        sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
        td = ecs.register_task_definition(
            family="web", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256",
            memory="512", executionRoleArn="arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCOUNT,
            containerDefinitions=[{"name": "app", "image": uri + ":latest", "stopTimeout": 2,
                                   "portMappings": [{"containerPort": 8080}]}],
        )["taskDefinition"]["taskDefinitionArn"]
        ecs.create_cluster(clusterName="paths")
        out = ecs.run_task(cluster="paths", taskDefinition=td, launchType="FARGATE",
                           networkConfiguration={"awsvpcConfiguration": {
                               "subnets": [subnet], "securityGroups": [sg]}})
        assert not out["failures"], out
        arn = out["tasks"][0]["taskArn"]
        try:
            ecs.get_waiter("tasks_running").wait(cluster="paths", tasks=[arn],
                                                 WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        except Exception:
            task = ecs.describe_tasks(cluster="paths", tasks=[arn])["tasks"][0]
            pytest.fail("task did not run: %s" % task.get("stoppedReason"))
        task = ecs.describe_tasks(cluster="paths", tasks=[arn])["tasks"][0]
        assert task["lastStatus"] == "RUNNING"
        assert task["containers"][0]["lastStatus"] == "RUNNING"
        # The container's state lives under the data directory, resolved against the server's
        # working directory, not against runc's bundle directory.
        assert os.path.isdir(work / ".gantry" / "runtime")
    finally:
        g.reset()
        g.stop()
    assert not own_netns(g.data_dir), "namespaces left behind"
