-- The top declining movies of the latest ingestion day, by week-over-week % change of the 7-day average popularity.
{{ top_movers('declining') }}
