-- One row per TMDB listing (trending_day, trending_week, now_playing), region, ingestion day and movie, with the
-- movie's rank on the list that day. Worldwide lists have region 'world'.
with

source as (

    {{ source_or_empty('tmdb', 'movie_listings', {
        'list_name': 'varchar', 'region': 'varchar', 'snapshot_date': 'date', 'id': 'bigint', 'rank': 'bigint',
        'title': 'varchar', 'original_language': 'varchar', 'release_date': 'varchar', 'popularity': 'double',
        'vote_count': 'bigint', 'vote_average': 'double', 'poster_path': 'varchar', '_dlt_load_id': 'varchar',
    }) }}

),

renamed as (

    select
        list_name,
        coalesce(upper({{ empty_to_null('region') }}), 'world') as listing_region,
        snapshot_date,
        id as movie_id,
        cast(rank as integer) as listing_rank,
        {{ empty_to_null('title') }} as title,
        {{ tmdb_date('release_date') }} as release_date,
        popularity,
        vote_count,
        case when vote_count > 0 then vote_average end as vote_average,
        {{ empty_to_null('poster_path') }} as poster_path,
        _dlt_load_id as load_id

    from source
    where id is not null
    qualify row_number() over (
        partition by list_name, coalesce(upper({{ empty_to_null('region') }}), 'world'), snapshot_date, id
        order by _dlt_load_id desc, rank
    ) = 1

)

select * from renamed
