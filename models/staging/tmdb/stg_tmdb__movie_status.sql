with

source as (

    select * from {{ source('tmdb', 'movie_status') }}

),

renamed as (

    select
        movie_id,
        snapshot_date,
        popularity,
        vote_count,
        -- TMDB reports 0 for a movie nobody has rated yet: no average, not a zero rating
        case when vote_count > 0 then vote_average end as vote_average,
        _dlt_load_id as load_id

    from source
    where movie_id is not null and snapshot_date is not null
    qualify row_number() over (partition by movie_id, snapshot_date order by _dlt_load_id desc) = 1

)

select * from renamed
