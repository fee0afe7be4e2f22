package io.pgsplit.proxy.session;

/** What {@link SegmentAnalyzer} makes of a request: its {@link Analysis}, or a parse it must wait for. */
sealed interface AnalysisResult permits Analysis, PendingParse {
}
