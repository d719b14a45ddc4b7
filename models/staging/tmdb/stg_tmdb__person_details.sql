with

source as (

    -- no table before the first person is fetched: see the macro
    {{ source_or_empty('tmdb_people', 'person_details', {
        'id': 'bigint',
        'fetched_on': 'date',
        'name': dbt.type_string(),
        'biography': dbt.type_string(),
        'birthday': dbt.type_string(),
        'deathday': dbt.type_string(),
        'gender': 'bigint',
        'homepage': dbt.type_string(),
        'imdb_id': dbt.type_string(),
        'known_for_department': dbt.type_string(),
        'place_of_birth': dbt.type_string(),
        'popularity': 'double',
        'profile_path': dbt.type_string(),
        'adult': 'boolean',
        'external_ids__imdb_id': dbt.type_string(),
        'external_ids__wikidata_id': dbt.type_string(),
        'external_ids__facebook_id': dbt.type_string(),
        'external_ids__instagram_id': dbt.type_string(),
        'external_ids__twitter_id': dbt.type_string(),
        'external_ids__tiktok_id': dbt.type_string(),
        'external_ids__youtube_id': dbt.type_string(),
        '_dlt_load_id': dbt.type_string(),
    }) }}

),

renamed as (

    select
        id as person_id,
        fetched_on as details_fetched_on,
        {{ empty_to_null('name') }} as person_name,
        {{ empty_to_null('biography') }} as biography,
        {{ tmdb_date('birthday') }} as birthday,
        {{ tmdb_date('deathday') }} as deathday,
        cast(gender as integer) as gender_code,
        {{ empty_to_null('homepage') }} as homepage,
        {{ empty_to_null('known_for_department') }} as known_for_department,
        {{ empty_to_null('place_of_birth') }} as place_of_birth,
        popularity as details_popularity,
        {{ empty_to_null('profile_path') }} as profile_path,
        adult as is_adult,
        -- the appended external ids first, the body's own imdb_id when they were not appended
        coalesce({{ empty_to_null('external_ids__imdb_id') }}, {{ empty_to_null('imdb_id') }}) as imdb_id,
        {{ empty_to_null('external_ids__wikidata_id') }} as wikidata_id,
        {{ empty_to_null('external_ids__facebook_id') }} as facebook_id,
        {{ empty_to_null('external_ids__instagram_id') }} as instagram_id,
        {{ empty_to_null('external_ids__twitter_id') }} as twitter_id,
        {{ empty_to_null('external_ids__tiktok_id') }} as tiktok_id,
        {{ empty_to_null('external_ids__youtube_id') }} as youtube_id,
        _dlt_load_id as load_id

    from source
    where id is not null
    qualify row_number() over (partition by id order by fetched_on desc, _dlt_load_id desc) = 1

)

select * from renamed
