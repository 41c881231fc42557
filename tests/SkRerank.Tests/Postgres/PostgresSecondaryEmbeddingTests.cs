using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using SkRerank.DependencyInjection;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Postgres;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Postgres;

/// <summary>A first stage over two models keeps both models' vectors in PostgreSQL, and the table says which two.</summary>
public sealed class PostgresSecondaryEmbeddingTests
{
    private static ServiceProvider Services(string table, HashingEmbeddingGenerator first, HashingEmbeddingGenerator? second)
    {
        var services = new ServiceCollection();
        var builder = services.AddMovieSearch()
            .UseEmbeddingGenerator(first)
            .UsePostgres(VectorStore.TestStores.DataSource, collectionName: table);
        if (second is not null) builder.UseSecondaryEmbeddingGenerator(second);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Both_vectors_are_stored_and_a_new_process_re_embeds_nothing()
    {
        var movies = await MovieSubset.LoadAsync(20);
        var table = PgliteServer.UniqueName("movies");
        await using (var provider = Services(table, new HashingEmbeddingGenerator(48, "hash-48"), new HashingEmbeddingGenerator(24, "hash-24")))
            await provider.GetRequiredService<MovieIndexer>().IndexAsync(movies);

        var first = new HashingEmbeddingGenerator(48, "hash-48");
        var second = new HashingEmbeddingGenerator(24, "hash-24");
        await using var again = Services(table, first, second);
        var report = await again.GetRequiredService<MovieIndexer>().IndexAsync(movies);
        var embedded = (First: first.Inputs, Second: second.Inputs);
        var response = await again.GetRequiredService<MovieSearchService>().SearchAsync(new MovieSearchRequest { Query = movies[5].Title, TopN = 3 });

        Assert.Equal(20, report.FromStore);
        Assert.Equal((0, 0), embedded);
        // The query is embedded by both models: both rankings were searched.
        Assert.Equal((1, 1), (first.Inputs, second.Inputs));
        var collection = again.GetRequiredKeyedService<VectorStoreCollection<int, Movie>>(MovieSearchBuilder.ServiceKey);
        var stored = await collection.GetAsync(movies[5].Id, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(24, stored!.SecondaryEmbedding!.Value.Length);
        Assert.Equal(movies[5].Id, response.Results[0].Movie.Id);
    }

    [Fact]
    public async Task A_table_indexed_with_one_model_refuses_a_second_without_touching_it()
    {
        var movies = await MovieSubset.LoadAsync(10);
        var table = PgliteServer.UniqueName("movies");
        await using (var provider = Services(table, new HashingEmbeddingGenerator(48, "hash-48"), null))
            await provider.GetRequiredService<MovieIndexer>().IndexAsync(movies);

        await using var both = Services(table, new HashingEmbeddingGenerator(48, "hash-48"), new HashingEmbeddingGenerator(24, "hash-24"));
        var error = await Assert.ThrowsAsync<PostgresStoreException>(() => both.GetRequiredService<MovieIndexer>().IndexAsync(movies));

        Assert.Contains("hash-48+hash-24", error.Message);
        await using var single = Services(table, new HashingEmbeddingGenerator(48, "hash-48"), null);
        var collection = single.GetRequiredKeyedService<VectorStoreCollection<int, Movie>>(MovieSearchBuilder.ServiceKey);
        Assert.Equal(10, await collection.GetAsync(m => true, 100).CountAsync());
    }
}
