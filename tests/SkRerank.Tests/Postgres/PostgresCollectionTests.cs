using Microsoft.Extensions.VectorData;
using Npgsql;
using SkRerank.Movies;
using SkRerank.Postgres;
using SkRerank.Tests.Support;
using SkRerank.Tests.VectorStore;

namespace SkRerank.Tests.Postgres;

/// <summary>What only the PostgreSQL collection has to get right: the table, idempotent writes, bad servers and bad input.</summary>
public sealed class PostgresCollectionTests
{
    private static PostgresCollection<int, Movie> Collection(string name, int dimensions = SampleMovies.Dimensions, string? model = "model-a") =>
        new(TestStores.DataSource, name, ownsDataSource: false, new PostgresCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(dimensions),
            EmbeddingModelId = model,
        });

    private static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = TestStores.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Re_upserting_unchanged_movies_rewrites_no_row()
    {
        var name = PgliteServer.UniqueName("movies");
        var collection = Collection(name);
        await collection.EnsureCollectionExistsAsync();
        Assert.Equal(5, await collection.UpsertCountingAsync(SampleMovies.Create()));
        var versionBefore = await ScalarAsync<string>($"SELECT string_agg(xmin::text, ',' ORDER BY \"Id\") FROM \"{name}\"");

        var rewritten = await collection.UpsertCountingAsync(SampleMovies.Create());
        var changed = SampleMovies.Create()[0];
        changed.Title = "Heat (1995)";
        var oneChanged = await collection.UpsertCountingAsync([changed, .. SampleMovies.Create().Skip(1)]);

        Assert.Equal(0, rewritten);
        Assert.Equal(1, oneChanged);
        var versionAfter = await ScalarAsync<string>($"SELECT string_agg(xmin::text, ',' ORDER BY \"Id\") FROM \"{name}\"");
        Assert.Equal(versionBefore.Split(',')[1..], versionAfter.Split(',')[1..]); // rows 2..5 keep their row version
    }

    [Fact]
    public async Task The_table_gets_an_hnsw_index_on_the_distance_function()
    {
        var name = PgliteServer.UniqueName("movies");
        var collection = Collection(name);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(SampleMovies.Create()); // the first upsert builds the HNSW index over its rows

        var definition = await ScalarAsync<string>($"SELECT string_agg(indexdef, ' | ') FROM pg_indexes WHERE tablename = '{name}'");

        Assert.Contains("USING hnsw (\"Embedding\" vector_cosine_ops) WITH (m='16', ef_construction='64')", definition);
        Assert.Contains("USING gin (\"Genres\")", definition);
    }

    [Fact]
    public async Task A_table_indexed_with_another_model_and_dimension_is_refused_and_kept()
    {
        var name = PgliteServer.UniqueName("movies");
        var first = Collection(name, model: "snowflake-arctic-embed-xs-int8");
        await first.EnsureCollectionExistsAsync();
        await first.UpsertAsync(SampleMovies.Create());

        var otherDimension = await Assert.ThrowsAsync<PostgresStoreException>(() => Collection(name, dimensions: 8, model: "BAAI/bge-base-en-v1.5").EnsureCollectionExistsAsync());
        var otherModel = await Assert.ThrowsAsync<PostgresStoreException>(() => Collection(name, model: "all-MiniLM-L6-v2").EnsureCollectionExistsAsync());

        Assert.Contains("4-dimensional vectors of snowflake-arctic-embed-xs-int8", otherDimension.Message);
        Assert.Contains("8-dimensional vectors of BAAI/bge-base-en-v1.5", otherDimension.Message);
        Assert.Contains("all-MiniLM-L6-v2", otherModel.Message);
        Assert.Contains("Nothing was changed", otherModel.Message);
        Assert.Equal(5L, await ScalarAsync<long>($"SELECT count(*) FROM \"{name}\""));
    }

    [Fact]
    public async Task Filter_values_and_keywords_cannot_inject_sql()
    {
        var name = PgliteServer.UniqueName("movies");
        var collection = Collection(name);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(SampleMovies.Create());
        var attack = $"x' OR 1=1; DROP TABLE \"{name}\"; --";

        var filtered = await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 10, new VectorSearchOptions<Movie> { Filter = m => m.Director == attack || m.Genres.Contains(attack) }).ToListAsync();
        var hybrid = await collection.HybridSearchAsync(new float[] { 1, 0, 0, 0 }, [attack, "'); DROP TABLE x; --"], 10, new HybridSearchOptions<Movie> { Filter = m => m.Title != attack }).ToListAsync();
        await collection.UpsertAsync(new Movie { Id = 9, Title = attack, Director = attack, Genres = [attack], Embedding = new float[] { 0, 0, 0, 1 } });

        Assert.Empty(filtered);
        Assert.Equal(5, hybrid.Count);
        Assert.Equal(attack, (await collection.GetAsync(9))!.Title);
        Assert.Equal(6L, await ScalarAsync<long>($"SELECT count(*) FROM \"{name}\""));
    }

    [Fact]
    public async Task A_filter_without_a_translation_names_the_construct()
    {
        var collection = Collection(PgliteServer.UniqueName("movies"));
        await collection.EnsureCollectionExistsAsync();

        var error = await Assert.ThrowsAsync<NotSupportedException>(async () =>
            await collection.SearchAsync(new float[] { 1, 0, 0, 0 }, 1, new VectorSearchOptions<Movie> { Filter = m => m.Title.StartsWith("H") }).ToListAsync());

        Assert.Contains("StartsWith", error.Message);
    }

    [Fact]
    public async Task A_server_that_is_down_is_named_by_host_and_port_without_the_password()
    {
        var port = PgliteServer.FreePort();
        using var collection = new PostgresCollection<int, Movie>($"Host=127.0.0.1;Port={port};Username=postgres;Password=s3cret-pw;Timeout=5", "movies",
            new PostgresCollectionOptions { Definition = MovieCollectionDefinition.Create(4) });

        var error = await Assert.ThrowsAsync<PostgresStoreException>(() => collection.EnsureCollectionExistsAsync());

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("connection refused", error.Message);
        Assert.DoesNotContain("s3cret-pw", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_server_without_pgvector_says_the_extension_is_missing()
    {
        using var server = PgliteServer.Start(withVector: false);
        using var collection = new PostgresCollection<int, Movie>(server.ConnectionString, "movies",
            new PostgresCollectionOptions { Definition = MovieCollectionDefinition.Create(4) });

        var error = await Assert.ThrowsAsync<PostgresStoreException>(() => collection.EnsureCollectionExistsAsync());

        Assert.StartsWith("the vector extension is not installed on this server", error.Message);
        Assert.Contains($"127.0.0.1:{server.Port}", error.Message);
        Assert.Contains("install pgvector", error.Message);
    }
}
