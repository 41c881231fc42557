using SkRerank.Tests.VectorStore;

namespace SkRerank.Tests.Postgres;

/// <summary>
/// Every filter shape the in-memory store's planner is tested with, run as SQL: a translated filter must select exactly
/// the records the C# predicate selects (nulls, NaN and -0.0 included); the others must be refused, naming the construct.
/// </summary>
public sealed class PostgresFilterTranslationTests
{
    private static readonly float[] Query = [0.3f, -0.2f, 0.1f, 0.4f, -0.1f, 0.2f, 0, 0.25f];

    // Method calls other than Contains, and conditionals, have no SQL translation.
    private static readonly HashSet<string> Untranslatable = ["conditional", "throwing left of indexed", "indexed left of throwing", "throwing method"];

    private static readonly List<Item> ItemsData = Item.Create(300, seed: 11);

    private static readonly Lazy<Task<Microsoft.Extensions.VectorData.VectorStoreCollection<int, Item>>> Items = new(async () =>
    {
        var collection = await TestStores.PostgresAsync<int, Item>(definition: null);
        await collection.UpsertAsync(ItemsData);
        return collection;
    });

    public static TheoryData<string> FilterNames => [.. IndexedFilterTests.Filters().Keys];

    [Theory]
    [MemberData(nameof(FilterNames))]
    public async Task A_filter_selects_what_the_predicate_selects_or_is_refused(string name)
    {
        var filter = IndexedFilterTests.Filters()[name];
        var collection = await Items.Value;

        if (Untranslatable.Contains(name))
        {
            await Assert.ThrowsAsync<NotSupportedException>(async () => await collection.SearchAsync(Query, 10, new() { Filter = filter }).ToListAsync());
            return;
        }
        var expected = ItemsData.Where(filter.Compile()).Select(i => i.Id).Order().ToList();
        var searched = await collection.SearchAsync(Query, ItemsData.Count, new() { Filter = filter }).Select(r => r.Record.Id).ToListAsync();
        var got = await collection.GetAsync(filter, ItemsData.Count).Select(i => i.Id).ToListAsync();

        Assert.Equal(expected, searched.Order());
        Assert.Equal(expected, got);
    }
}
