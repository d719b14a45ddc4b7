-- Which ingestion days each dlt load wrote into raw.movie_status: one row per day and load. The watermark of
-- fct_movie_status_daily reads it ("the days loaded after load X"): a filter on load_id, a grouping column,
-- goes down into the scan of the raw table, so that query stays as cheap as on the raw table itself.
with

source as (

    select * from {{ source('tmdb', 'movie_status') }}

),

loads as (

    select distinct
        snapshot_date,
        _dlt_load_id as load_id

    from source
    where snapshot_date is not null

)

select * from loads
