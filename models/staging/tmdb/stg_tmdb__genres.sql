with

source as (

    select * from {{ source('tmdb', 'genres') }}

),

renamed as (

    select
        id as genre_id,
        {{ empty_to_null('name') }} as genre_name,
        _dlt_load_id as load_id

    from source
    where id is not null
    qualify row_number() over (partition by id order by _dlt_load_id desc) = 1

)

select * from renamed
