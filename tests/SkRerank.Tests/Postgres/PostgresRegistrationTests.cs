using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Postgres;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Postgres;

public sealed class PostgresRegistrationTests
{
    [Fact]
    public async Task UsePostgres_indexes_and_searches_the_movies_in_a_postgres_table()
    {
        var movies = await MovieSubset.LoadAsync(30);
        var table = PgliteServer.UniqueName("movies");
        var services = new ServiceCollection();
        services.AddMovieSearch()
            .UseEmbeddingGenerator(new HashingEmbeddingGenerator(48, "hash-48"))
            .UsePostgres(VectorStore.TestStores.DataSource, o => o.HnswEfSearch = 100, collectionName: table);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<MovieIndexer>().IndexAsync(movies);
        var response = await provider.GetRequiredService<MovieSearchService>().SearchAsync(new MovieSearchRequest { Query = movies[7].Title, TopN = 3 });

        var collection = provider.GetRequiredKeyedService<VectorStoreCollection<int, Movie>>(SkRerank.DependencyInjection.MovieSearchBuilder.ServiceKey);
        Assert.IsType<PostgresCollection<int, Movie>>(collection);
        Assert.Equal(table, collection.Name);
        Assert.Equal(movies[7].Id, response.Results[0].Movie.Id);
        Assert.Equal(30, await collection.GetAsync(m => true, 100).CountAsync());
    }
}
