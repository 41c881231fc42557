using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

public class DynamicCollectionTests
{
    private static readonly VectorStoreCollectionDefinition Definition = new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Id", typeof(int)),
            new VectorStoreDataProperty("Title", typeof(string)) { IsFullTextIndexed = true },
            new VectorStoreDataProperty("Director", typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty("Genres", typeof(List<string>)) { IsIndexed = true },
            new VectorStoreVectorProperty("Embedding", typeof(ReadOnlyMemory<float>), 2),
        ],
    };

    private static Dictionary<string, object?> Movie(int id, string title, string director, float[] vector, params string[] genres) => new()
    {
        ["Id"] = id,
        ["Title"] = title,
        ["Director"] = director,
        ["Genres"] = genres.ToList(),
        ["Embedding"] = new ReadOnlyMemory<float>(vector),
    };

    private static async Task<InMemoryVectorStoreCollection<object, Dictionary<string, object?>>> MoviesAsync()
    {
        var collection = new InMemoryVectorStore().GetDynamicCollection("movies", Definition);
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(
        [
            Movie(1, "Heat", "Michael Mann", [1, 0], "Crime"),
            Movie(2, "Inception", "Christopher Nolan", [0.6f, 0.8f], "Action", "Science Fiction"),
            Movie(3, "Memento", "Christopher Nolan", [0, 1], "Thriller"),
        ]);
        return collection;
    }

    [Fact]
    public async Task A_dictionary_record_round_trips_and_includes_the_vector_only_when_asked()
    {
        var collection = await MoviesAsync();

        var with = await collection.GetAsync(2, new RecordRetrievalOptions { IncludeVectors = true });
        var without = await collection.GetAsync(2);

        Assert.Equal("Inception", with!["Title"]);
        Assert.Equal(["Action", "Science Fiction"], (List<string>)with["Genres"]!);
        Assert.Equal([0.6f, 0.8f], ((ReadOnlyMemory<float>)with["Embedding"]!).ToArray());
        Assert.False(without!.ContainsKey("Embedding"));
        Assert.Equal("Christopher Nolan", without["Director"]);
    }

    [Fact]
    public async Task Dictionary_records_are_copied_in_and_out()
    {
        var collection = await MoviesAsync();
        var record = Movie(4, "Thief", "Michael Mann", [1, 1], "Crime");
        await collection.UpsertAsync(record);

        record["Title"] = "changed";
        ((List<string>)record["Genres"]!).Add("Drama");
        (await collection.GetAsync(4))!["Director"] = "changed";

        var stored = await collection.GetAsync(4);
        Assert.Equal("Thief", stored!["Title"]);
        Assert.Equal("Michael Mann", stored["Director"]);
        Assert.Equal(["Crime"], (List<string>)stored["Genres"]!);
    }

    [Fact]
    public async Task Filters_read_dictionary_entries_through_the_indexer()
    {
        var collection = await MoviesAsync();

        var nolan = await collection.SearchAsync(new float[] { 1, 0 }, 10, new VectorSearchOptions<Dictionary<string, object?>>
        {
            Filter = r => (string)r["Director"]! == "Christopher Nolan",
        }).ToListAsync();
        var crime = await collection.GetAsync(r => ((List<string>)r["Genres"]!).Contains("Crime"), 10).ToListAsync();

        Assert.Equal([2, 3], nolan.Select(r => (int)r.Record["Id"]!));
        Assert.Equal([1], crime.Select(r => (int)r["Id"]!));
    }

    [Fact]
    public async Task Dynamic_records_are_deleted_by_key_singly_and_in_batches()
    {
        var collection = await MoviesAsync();

        await collection.DeleteAsync(1);
        await collection.DeleteAsync([2, 99]);

        Assert.Equal([3], await collection.GetAsync(r => true, 10).Select(r => (int)r["Id"]!).ToListAsync());
    }

    [Fact]
    public void A_dynamic_collection_needs_a_definition()
    {
        Assert.Throws<ArgumentException>(() => new InMemoryVectorStoreCollection<object, Dictionary<string, object?>>("x"));
    }
}
