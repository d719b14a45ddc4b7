-- One row per TMDB review: author, rating, when it was written and edited, and its length. The text stays in
-- raw.movie_reviews (the movie pages read it there, escaped); the warehouse models carry its length only.
with

source as (

    {{ source_or_empty('tmdb', 'movie_reviews', {
        'id': 'varchar', 'movie_id': 'bigint', 'author': 'varchar', 'author_name': 'varchar',
        'author_username': 'varchar', 'author_rating': 'double', 'content': 'varchar', 'created_at': 'varchar',
        'updated_at': 'varchar', 'url': 'varchar', 'fetched_on': 'date', '_dlt_load_id': 'varchar',
    }) }}

),

renamed as (

    select
        id as review_id,
        movie_id,
        coalesce({{ empty_to_null('author_username') }}, {{ empty_to_null('author') }}) as author,
        author_rating,
        {{ iso_utc_timestamp('created_at') }} as created_at,
        {{ iso_utc_timestamp('updated_at') }} as updated_at,
        cast(length(coalesce(content, '')) as integer) as content_length,
        {{ empty_to_null('url') }} as review_url,
        fetched_on,
        _dlt_load_id as load_id

    from source
    where id is not null and movie_id is not null
    qualify row_number() over (partition by id order by fetched_on desc, _dlt_load_id desc) = 1

)

select * from renamed
