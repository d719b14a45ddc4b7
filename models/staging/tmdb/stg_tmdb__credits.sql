with

cast_source as (

    select * from {{ source('tmdb', 'movie_details__credits__cast') }}

),

crew_source as (

    select * from {{ source('tmdb', 'movie_details__credits__crew') }}

),

cast_renamed as (

    select
        {{ empty_to_null('credit_id') }} as credit_id,
        _dlt_root_id as details_row_id,
        'cast' as credit_type,
        id as person_id,
        {{ empty_to_null('name') }} as person_name,
        cast(gender as integer) as gender_code,
        {{ empty_to_null('known_for_department') }} as known_for_department,
        popularity as person_popularity,
        {{ empty_to_null('profile_path') }} as profile_path,
        {{ empty_to_null('"character"') }} as character_name,
        cast("order" as integer) as cast_order,
        cast(null as varchar) as department,
        cast(null as varchar) as job,
        _dlt_list_idx as list_position,

    from cast_source

),

crew_renamed as (

    select
        {{ empty_to_null('credit_id') }} as credit_id,
        _dlt_root_id as details_row_id,
        'crew' as credit_type,
        id as person_id,
        {{ empty_to_null('name') }} as person_name,
        cast(gender as integer) as gender_code,
        {{ empty_to_null('known_for_department') }} as known_for_department,
        popularity as person_popularity,
        {{ empty_to_null('profile_path') }} as profile_path,
        cast(null as varchar) as character_name,
        cast(null as integer) as cast_order,
        {{ empty_to_null('department') }} as department,
        {{ empty_to_null('job') }} as job,
        _dlt_list_idx as list_position,

    from crew_source

),

unioned as (

    select * from cast_renamed
    union all
    select * from crew_renamed

),

final as (

    -- one row per credit of a details row; int_movie_credits resolves the row to its movie (latest details)
    select * from unioned
    where person_id is not null and credit_id is not null
    qualify row_number() over (partition by details_row_id, credit_id order by list_position) = 1

)

select * from final
