with

collections as (

    select * from {{ ref('stg_tmdb__collections') }}

),

movies as (

    select * from {{ ref('stg_tmdb__movies') }}

),

members as (

    select
        collection_id,
        count(*) as movie_count,
        min(release_date) as first_release_date,
        max(release_date) as last_release_date

    from movies
    where collection_id is not null
    group by collection_id

),

final as (

    select
        collections.collection_id,
        collections.collection_name,
        collections.poster_path,
        collections.backdrop_path,
        members.movie_count,
        members.first_release_date,
        members.last_release_date

    from collections
    inner join members on collections.collection_id = members.collection_id

)

select * from final
