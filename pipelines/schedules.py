"""The scheduled download of the sources from their publishers (``praevention fetch`` as a Dagster job):
monthly, switched off until an operator switches it on in the UI (Automation). New or revised raw files are
then picked up by the sensor (:mod:`pipelines.sensors`)."""

from dagster import Config, DefaultScheduleStatus, Failure, OpExecutionContext, ScheduleDefinition, job, op

from pipelines.commands.fetch import DEFAULT_YEARS, fetch_sources
from pipelines.resources import RawData


class FetchConfig(Config):
    years: str = DEFAULT_YEARS


@op(description="Downloads every file of data/sources.yaml for the configured years into the raw-data folder.")
def fetch_raw_files(context: OpExecutionContext, config: FetchConfig, raw_data: RawData) -> None:
    failed = fetch_sources(raw_data.resolved(), config.years, show=context.log.info)
    if failed:
        raise Failure(f"{failed} download(s) failed; see the log of this run")


@job(name="fetch", description="Download the sources from their official publishers (praevention fetch).")
def fetch_job() -> None:
    fetch_raw_files()


monthly_fetch = ScheduleDefinition(
    name="monthly_fetch",
    job=fetch_job,
    cron_schedule="0 4 2 * *",
    execution_timezone="Europe/Berlin",
    default_status=DefaultScheduleStatus.STOPPED,
    description="On the 2nd of every month at 04:00: downloads the sources (off until switched on).",
)

SCHEDULES = [monthly_fetch]
