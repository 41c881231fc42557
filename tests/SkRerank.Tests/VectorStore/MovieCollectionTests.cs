using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

/// <summary>Collection behaviour every store must show; run on the in-memory store and on PostgreSQL (see the subclasses below).</summary>
public abstract class MovieCollectionTests
{
    /// <summary>An empty, created collection of the store under test; the attributes describe the movie when <paramref name="definition"/> is null.</summary>
    protected abstract Task<VectorStoreCollection<int, Movie>> CreateAsync(VectorStoreCollectionDefinition? definition);

    private async Task<VectorStoreCollection<int, Movie>> CollectionAsync()
    {
        var collection = await CreateAsync(MovieCollectionDefinition.Create(SampleMovies.Dimensions));
        await collection.UpsertAsync(SampleMovies.Create());
        return collection;
    }

    private static float[] VectorOf(Movie movie) => movie.Embedding!.Value.ToArray();

    [Fact]
    public async Task Get_returns_the_upserted_movie_with_its_vector_when_vectors_are_requested()
    {
        var collection = await CollectionAsync();

        var heat = await collection.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true });

        Assert.NotNull(heat);
        Assert.Equal("Heat", heat.Title);
        Assert.Equal("Michael Mann", heat.Director);
        Assert.Equal(["Action", "Crime"], heat.Genres);
        Assert.Equal("A Los Angeles crime saga", heat.Tagline);
        Assert.Equal([1f, 0, 0, 0], VectorOf(heat));
    }

    [Fact]
    public async Task Get_leaves_the_vector_null_unless_vectors_are_requested()
    {
        var collection = await CollectionAsync();

        var heat = await collection.GetAsync(1);

        Assert.NotNull(heat);
        Assert.Equal("Heat", heat.Title);
        Assert.Null(heat.Embedding);
    }

    [Fact]
    public async Task Get_of_an_unknown_key_returns_null()
    {
        var collection = await CollectionAsync();
        Assert.Null(await collection.GetAsync(42));
    }

    [Fact]
    public async Task Batch_get_returns_the_found_movies_in_key_order_and_skips_unknown_keys()
    {
        var collection = await CollectionAsync();

        var movies = await collection.GetAsync([4, 42, 1], new RecordRetrievalOptions { IncludeVectors = true }).ToListAsync();

        Assert.Equal([4, 1], movies.Select(m => m.Id));
        Assert.Equal([0f, 1, 0, 0], VectorOf(movies[0]));
    }

    [Fact]
    public async Task Upserting_an_existing_key_replaces_the_movie_and_its_vector()
    {
        var collection = await CollectionAsync();

        await collection.UpsertAsync(new Movie { Id = 1, Title = "Heat (1995)", Embedding = new float[] { 0, 0, 0, 1 } });

        var heat = await collection.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal("Heat (1995)", heat!.Title);
        Assert.Equal([0f, 0, 0, 1], VectorOf(heat));
        var nearest = await collection.SearchAsync(new float[] { 0, 0, 0, 1 }, 1).SingleAsync();
        Assert.Equal(1, nearest.Record.Id);
        Assert.Equal(5, await collection.GetAsync(m => true, 100).CountAsync());
    }

    [Fact]
    public async Task Delete_removes_a_movie_from_gets_and_searches()
    {
        var collection = await CollectionAsync();

        await collection.DeleteAsync(1);

        Assert.Null(await collection.GetAsync(1));
        var results = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10).ToListAsync();
        Assert.DoesNotContain(results, r => r.Record.Id == 1);
        Assert.Equal(4, results.Count);
    }

    [Fact]
    public async Task Batch_delete_removes_every_given_key_and_ignores_unknown_ones()
    {
        var collection = await CollectionAsync();

        await collection.DeleteAsync([1, 3, 42]);

        Assert.Equal([2, 4, 5], await collection.GetAsync(m => true, 10).Select(m => m.Id).Order().ToListAsync());
    }

    [Fact]
    public async Task A_deleted_key_can_be_upserted_again()
    {
        var collection = await CollectionAsync();
        await collection.DeleteAsync(2);

        await collection.UpsertAsync(new Movie { Id = 2, Title = "Collateral", Embedding = new float[] { 0, 0, 1, 1 } });

        var movie = await collection.GetAsync(2, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal([0f, 0, 1, 1], VectorOf(movie!));
    }

    [Fact]
    public async Task Changing_the_upserted_object_afterwards_does_not_change_the_stored_movie()
    {
        var collection = await CollectionAsync();
        var vector = new float[] { 0, 0, 0, 1 };
        var movie = new Movie { Id = 9, Title = "Thief", Genres = ["Crime"], Embedding = vector };
        await collection.UpsertAsync(movie);

        movie.Title = "changed";
        movie.Genres.Add("Comedy");
        vector[0] = 99; // the caller's array behind the ReadOnlyMemory

        var stored = await collection.GetAsync(9, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal("Thief", stored!.Title);
        Assert.Equal(["Crime"], stored.Genres);
        Assert.Equal([0f, 0, 0, 1], VectorOf(stored));
        Assert.Empty(await collection.GetAsync(m => m.Genres.Contains("Comedy") && m.Id == 9, 10).ToListAsync());
    }

    [Fact]
    public async Task Changing_a_returned_movie_does_not_change_the_stored_one()
    {
        var collection = await CollectionAsync();
        var first = await collection.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true });
        first!.Title = "changed";
        first.Genres.Clear();
        var searched = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 1).SingleAsync();
        searched.Record.Director = "changed";

        var again = await collection.GetAsync(1);

        Assert.Equal("Heat", again!.Title);
        Assert.Equal(["Action", "Crime"], again.Genres);
        Assert.Equal("Michael Mann", again.Director);
        Assert.NotSame(first, again);
    }

    [Fact]
    public async Task Search_filters_on_a_genre_the_movie_lists()
    {
        var collection = await CollectionAsync();

        var results = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10,
            new VectorSearchOptions<Movie> { Filter = m => m.Genres.Contains("Action") }).ToListAsync();

        Assert.Equal([1, 3, 4], results.Select(r => r.Record.Id));
    }

    [Fact]
    public async Task Search_filters_on_director_equality_with_a_captured_value()
    {
        var collection = await CollectionAsync();
        var director = "Christopher Nolan";

        var results = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10,
            new VectorSearchOptions<Movie> { Filter = m => m.Director == director }).ToListAsync();

        Assert.Equal([3, 4], results.Select(r => r.Record.Id));
    }

    [Fact]
    public async Task Search_combines_filter_conditions_with_and_or_not()
    {
        var collection = await CollectionAsync();

        var crimeNotByMann = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10,
            new VectorSearchOptions<Movie> { Filter = m => m.Genres.Contains("Crime") && !(m.Director == "Michael Mann") }).ToListAsync();
        var romanceOrNolan = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10,
            new VectorSearchOptions<Movie> { Filter = m => m.Genres.Contains("Romance") || m.Director != "Michael Mann" && m.Id > 3 }).ToListAsync();

        Assert.Equal([3], crimeNotByMann.Select(r => r.Record.Id));
        Assert.Equal([4, 5], romanceOrNolan.Select(r => r.Record.Id).Order());
    }

    [Fact]
    public async Task Search_skip_pages_through_the_ranking()
    {
        var collection = await CollectionAsync();
        var query = new float[] { 1, 0.2f, 0.1f, 0 };

        var all = await collection.SearchAsync(query, 5).Select(r => r.Record.Id).ToListAsync();
        var page = await collection.SearchAsync(query, 2, new VectorSearchOptions<Movie> { Skip = 1 }).Select(r => r.Record.Id).ToListAsync();

        Assert.Equal([2, 1, 3, 4, 5], all); // cosine: 0.991, 0.976, 0.807, 0.195, 0.098
        Assert.Equal(all.Skip(1).Take(2), page);
    }

    [Fact]
    public async Task Search_returns_vectors_only_when_asked()
    {
        var collection = await CollectionAsync();

        var without = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 1).SingleAsync();
        var with = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 1, new VectorSearchOptions<Movie> { IncludeVectors = true }).SingleAsync();

        Assert.Null(without.Record.Embedding);
        Assert.Equal([1f, 0, 0, 0], VectorOf(with.Record));
    }

    [Fact]
    public async Task Movies_without_an_embedding_are_stored_but_never_found_by_vector_search()
    {
        var collection = await CollectionAsync();
        await collection.UpsertAsync(new Movie { Id = 6, Title = "Untitled", Embedding = null });

        Assert.NotNull(await collection.GetAsync(6));
        Assert.DoesNotContain(await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10).ToListAsync(), r => r.Record.Id == 6);
    }

    [Fact]
    public async Task Filtered_get_applies_skip_top_and_ordering()
    {
        var collection = await CollectionAsync();
        var options = new FilteredRecordRetrievalOptions<Movie>
        {
            Skip = 1,
            OrderBy = o => o.Ascending(m => m.Director).Descending(m => m.Title),
        };

        var movies = await collection.GetAsync(m => m.Genres.Contains("Crime") || m.Genres.Contains("Action"), 3, options).ToListAsync();

        // Ordered: (Christopher Nolan: The Dark Knight, Inception), (Michael Mann: Heat, Collateral); skip 1, take 3.
        Assert.Equal(["Inception", "Heat", "Collateral"], movies.Select(m => m.Title));
        Assert.All(movies, m => Assert.Null(m.Embedding));
    }

    [Fact]
    public async Task Filtered_get_orders_descending_and_can_include_vectors()
    {
        var collection = await CollectionAsync();

        var movies = await collection.GetAsync(m => m.Id > 1, 2, new FilteredRecordRetrievalOptions<Movie>
        {
            OrderBy = o => o.Descending(m => m.Id),
            IncludeVectors = true,
        }).ToListAsync();

        Assert.Equal([5, 4], movies.Select(m => m.Id));
        Assert.Equal([0f, 0, 1, 0], VectorOf(movies[0]));
    }

    [Fact]
    public async Task A_vector_of_the_wrong_length_is_rejected_and_the_batch_is_not_written()
    {
        var collection = await CollectionAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(
        [
            new Movie { Id = 7, Title = "Fine", Embedding = new float[] { 1, 0, 0, 0 } },
            new Movie { Id = 8, Title = "Too long", Embedding = new float[] { 1, 0, 0, 0, 0 } },
        ]));

        Assert.Contains("expects 4 dimensions", error.Message);
        Assert.Null(await collection.GetAsync(7));
    }

    [Fact]
    public async Task Attributes_describe_the_movie_when_no_definition_is_given()
    {
        var collection = await CreateAsync(definition: null);
        var vector = new float[Movie.DefaultDimensions];
        vector[7] = 1;

        await collection.UpsertAsync(new Movie { Id = 1, Title = "Heat", Embedding = vector });

        var hit = await collection.SearchAsync(vector, 1).SingleAsync();
        Assert.Equal(1, hit.Record.Id);
        Assert.Equal(1.0, hit.Score!.Value, 6);
    }

    [Fact]
    public async Task A_definition_wins_over_the_attributes()
    {
        var collection = await CollectionAsync(); // 4-d definition, while the attribute says 384

        await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(new Movie { Id = 9, Embedding = new float[Movie.DefaultDimensions] }));
    }
}

public sealed class InMemoryMovieCollectionTests : MovieCollectionTests
{
    protected override async Task<VectorStoreCollection<int, Movie>> CreateAsync(VectorStoreCollectionDefinition? definition)
    {
        var collection = new InMemoryVectorStore().GetCollection<int, Movie>("movies", definition);
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }
}

public sealed class PostgresMovieCollectionTests : MovieCollectionTests
{
    protected override Task<VectorStoreCollection<int, Movie>> CreateAsync(VectorStoreCollectionDefinition? definition) =>
        TestStores.PostgresAsync<int, Movie>(definition);
}
