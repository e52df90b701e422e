"""Insights for the owners of the content: unanswered questions, answer kinds, and thumbs up/down."""

from bot.insights.azure_blob import AzureBlobInsightsStore
from bot.insights.base import (
    DEFAULT_RETENTION_DAYS,
    REACTIONS,
    UNANSWERED_OUTCOMES,
    FeedbackRecord,
    InsightsError,
    InsightsStore,
    QuestionRecord,
    question_record,
)
from bot.insights.factory import INSIGHTS_SETTING, create_insights_store, insights_location
from bot.insights.memory import MemoryInsightsStore
from bot.insights.recorder import InsightsRecorder
from bot.insights.sqlite import SqliteInsightsStore

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "INSIGHTS_SETTING",
    "REACTIONS",
    "UNANSWERED_OUTCOMES",
    "AzureBlobInsightsStore",
    "FeedbackRecord",
    "InsightsError",
    "InsightsRecorder",
    "InsightsStore",
    "MemoryInsightsStore",
    "QuestionRecord",
    "SqliteInsightsStore",
    "create_insights_store",
    "insights_location",
    "question_record",
]
