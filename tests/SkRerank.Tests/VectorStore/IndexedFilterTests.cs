using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;
using SkRerank.Movies;
using SkRerank.VectorStore;

namespace SkRerank.Tests.VectorStore;

/// <summary>A record with an indexed property of every kind the payload index handles, and two that are not indexed.</summary>
public sealed class Item
{
    public const int Dimensions = 8;

    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int Bucket { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string? Category { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public bool Active { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public Shade Shade { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public Shade? MaybeShade { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int? Rank { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public double Weight { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string[]? Tags { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public List<string?> Labels { get; set; } = [];

    [VectorStoreData]
    public int Priority { get; set; }

    [VectorStoreData(IsFullTextIndexed = true)]
    public string? Note { get; set; }

    [VectorStoreVector(Dimensions)]
    public ReadOnlyMemory<float> Vector { get; set; }

    /// <summary>Deterministic pseudo-random items; nulls, NaN, -0.0 and empty collections included.</summary>
    public static List<Item> Create(int count, int seed, int firstId = 0)
    {
        var random = new Random(seed);
        string[] categories = ["alpha", "beta", "gamma"];
        string[] tags = ["red", "green", "blue", "x"];
        return Enumerable.Range(firstId, count).Select(id => new Item
        {
            Id = id,
            Bucket = random.Next(7),
            Category = random.Next(5) == 0 ? null : categories[random.Next(categories.Length)],
            Active = random.Next(2) == 0,
            Shade = (Shade)random.Next(3),
            MaybeShade = random.Next(4) == 0 ? null : (Shade)random.Next(3),
            Rank = random.Next(4) == 0 ? null : random.Next(4),
            Weight = random.Next(6) switch { 0 => double.NaN, 1 => -0.0, 2 => 0.0, _ => random.Next(3) * 0.5 },
            Tags = tags.Where(_ => random.Next(3) == 0).ToArray(),
            Labels = [.. tags.Where(_ => random.Next(4) == 0), .. random.Next(8) == 0 ? new string?[] { null } : []],
            Priority = random.Next(10),
            Note = random.Next(6) == 0 ? null : $"note {id} {categories[random.Next(categories.Length)]}",
            Vector = Enumerable.Range(0, Dimensions).Select(_ => random.NextSingle() - 0.5f).ToArray(),
        }).ToList();
    }
}

public enum Shade
{
    Dark,
    Medium,
    Light,
}

/// <summary>
/// A filtered search, hybrid search or filtered get that the payload index answers must return exactly what running
/// the filter on every record returns: the same records, in the same order, with the same scores, and the same
/// exception when the filter throws.
/// </summary>
public class IndexedFilterTests
{
    private static readonly float[] Query = [0.3f, -0.2f, 0.1f, 0.4f, -0.1f, 0.2f, 0, 0.25f];

    /// <summary>Filters of every shape: translated, partly translated, untranslated, throwing.</summary>
    public static TheoryData<string> FilterNames => [.. Filters().Keys];

    internal static Dictionary<string, Expression<Func<Item, bool>>> Filters()
    {
        // Captured variables, as callers write them.
        var bucket = 3;
        string? noCategory = null;
        var shade = Shade.Medium;
        var tag = "green";
        string? nullLabel = null;
        var categories = new[] { "alpha", "gamma" };
        var buckets = new List<int> { 1, 2, 5 };
        var ids = new[] { 3, 17, 40, 999 };
        var holder = new { Category = "beta" };
        var all = true;
        return new()
        {
            ["int =="] = r => r.Bucket == 3,
            ["const == int"] = r => 3 == r.Bucket,
            ["int == captured"] = r => r.Bucket == bucket,
            ["int !="] = r => r.Bucket != bucket,
            ["string =="] = r => r.Category == "alpha",
            ["string == captured property"] = r => r.Category == holder.Category,
            ["string == null"] = r => r.Category == null,
            ["string != null"] = r => r.Category != null,
            ["string == captured null"] = r => r.Category == noCategory,
            ["string == absent"] = r => r.Category == "omega",
            ["bool"] = r => r.Active,
            ["!bool"] = r => !r.Active,
            ["bool == false"] = r => r.Active == false,
            ["enum =="] = r => r.Shade == Shade.Light,
            ["enum == captured"] = r => r.Shade == shade,
            ["nullable enum == captured"] = r => r.MaybeShade == shade,
            ["nullable enum == null"] = r => r.MaybeShade == null,
            ["nullable int =="] = r => r.Rank == 2,
            ["nullable int == null"] = r => r.Rank == null,
            ["nullable int !="] = r => r.Rank != 2,
            ["double == 0 (matches -0.0)"] = r => r.Weight == 0.0,
            ["double == NaN (never)"] = r => r.Weight == double.NaN,
            ["double != NaN (always)"] = r => r.Weight != double.NaN,
            ["array Contains"] = r => r.Tags!.Contains("red"),
            ["array Contains captured"] = r => r.Tags!.Contains(tag),
            ["list Contains"] = r => r.Labels.Contains("x"),
            ["list Contains null"] = r => r.Labels.Contains(nullLabel),
            ["Enumerable.Contains"] = r => Enumerable.Contains(r.Labels, "blue"),
            ["&&"] = r => r.Bucket == 3 && r.Active,
            ["||"] = r => r.Bucket == 3 || r.Category == "beta",
            ["nested"] = r => r.Bucket == 3 && (r.Tags!.Contains("red") || !r.Active),
            ["!(a || b)"] = r => !(r.Bucket == 3 || r.Bucket == 4),
            ["captured array Contains property"] = r => categories.Contains(r.Category),
            ["captured list Contains property"] = r => buckets.Contains(r.Bucket),
            ["key =="] = r => r.Id == 17,
            ["key in array"] = r => ids.Contains(r.Id),
            ["true"] = r => true,
            ["captured bool"] = r => all,
            ["false"] = r => false,
            ["not indexed"] = r => r.Priority > 5,
            ["not indexed && indexed"] = r => r.Priority > 5 && r.Bucket == 3,
            ["indexed && not indexed"] = r => r.Bucket == 3 && r.Priority > 5,
            ["indexed || not indexed"] = r => r.Bucket == 3 || r.Priority > 5,
            ["!(indexed && not indexed)"] = r => !(r.Bucket == 3 && r.Priority > 5),
            ["conditional"] = r => r.Bucket == 3 ? r.Active : r.Priority > 2,
            ["range on an indexed property"] = r => r.Weight > 0.5,
            ["throwing left of indexed"] = r => r.Note!.Length > 8 && r.Bucket == 1,
            ["indexed left of throwing"] = r => r.Bucket == 1 && r.Note!.Length > 8,
            ["throwing method"] = r => r.Category!.StartsWith('a'),
        };
    }

    [Theory]
    [MemberData(nameof(FilterNames))]
    public async Task Indexed_search_returns_what_the_predicate_scan_returns(string name)
    {
        var filter = Filters()[name];
        var items = Item.Create(300, seed: 1);
        var indexed = await CollectionAsync(items, indexed: true);
        var scanned = await CollectionAsync(items, indexed: false);

        var expected = Outcome(() => items.Where(filter.Compile()).Select(i => i.Id).ToList());
        var searched = await OutcomeAsync(async () => await indexed.SearchAsync(Query, items.Count, new() { Filter = filter }).ToListAsync());
        var reference = await OutcomeAsync(async () => await scanned.SearchAsync(Query, items.Count, new() { Filter = filter }).ToListAsync());

        Assert.Equal(expected.Error, searched.Error);
        Assert.Equal(expected.Error, reference.Error);
        if (expected.Error is not null) return;
        Assert.Equal(expected.Value!.Order(), searched.Value!.Select(r => r.Record.Id).Order());
        Assert.Equal(reference.Value!.Select(r => (r.Record.Id, r.Score)), searched.Value!.Select(r => (r.Record.Id, r.Score)));
    }

    [Theory]
    [MemberData(nameof(FilterNames))]
    public async Task Indexed_filtered_get_returns_the_matching_records_in_storage_order(string name)
    {
        var filter = Filters()[name];
        var items = Item.Create(300, seed: 2);
        var indexed = await CollectionAsync(items, indexed: true);

        var expected = Outcome(() => items.Where(filter.Compile()).Select(i => i.Id).ToList());
        var got = await OutcomeAsync(async () => await indexed.GetAsync(filter, items.Count).Select(i => i.Id).ToListAsync());

        Assert.Equal(expected.Error, got.Error);
        if (expected.Error is null) Assert.Equal(expected.Value, got.Value);
    }

    [Theory]
    [MemberData(nameof(FilterNames))]
    public async Task Indexed_hybrid_search_returns_what_the_predicate_scan_returns(string name)
    {
        var filter = Filters()[name];
        var items = Item.Create(300, seed: 3);
        var indexed = await CollectionAsync(items, indexed: true);
        var scanned = await CollectionAsync(items, indexed: false);

        var searched = await OutcomeAsync(async () => await indexed.HybridSearchAsync(Query, ["beta"], 50, new() { Filter = filter }).ToListAsync());
        var reference = await OutcomeAsync(async () => await scanned.HybridSearchAsync(Query, ["beta"], 50, new() { Filter = filter }).ToListAsync());

        Assert.Equal(reference.Error, searched.Error);
        if (reference.Error is null)
            Assert.Equal(reference.Value!.Select(r => (r.Record.Id, r.Score)), searched.Value!.Select(r => (r.Record.Id, r.Score)));
    }

    [Fact]
    public async Task Null_collections_make_Contains_run_the_predicate_which_decides()
    {
        // Contains on a null array is false (C# 14 reads it as an empty span); on a null list it throws. The index must
        // not answer either: it holds no entry for a null collection.
        var items = Item.Create(50, seed: 4);
        items[7].Tags = null;
        var (collection, storage) = await CreateAsync(items);
        Expression<Func<Item, bool>> filter = r => r.Tags!.Contains("red");

        var expected = Outcome(() => items.Where(filter.Compile()).Select(i => i.Id).Order().ToList());
        var got = await OutcomeAsync(async () => (await collection.SearchAsync(Query, 50, new() { Filter = filter }).ToListAsync()).Select(r => r.Record.Id).Order().ToList());

        Assert.Equal(expected.Error, got.Error);
        if (expected.Error is null) Assert.Equal(expected.Value, got.Value);
        Assert.Null(PlanOf(storage, filter).Candidates);
    }

    [Theory]
    [InlineData("int ==")]
    [InlineData("const == int")]
    [InlineData("int == captured")]
    [InlineData("int !=")]
    [InlineData("string == captured property")]
    [InlineData("string == null")]
    [InlineData("bool")]
    [InlineData("!bool")]
    [InlineData("enum == captured")]
    [InlineData("nullable enum == captured")]
    [InlineData("nullable int == null")]
    [InlineData("double == NaN (never)")]
    [InlineData("array Contains captured")]
    [InlineData("list Contains null")]
    [InlineData("Enumerable.Contains")]
    [InlineData("nested")]
    [InlineData("!(a || b)")]
    [InlineData("captured array Contains property")]
    [InlineData("captured list Contains property")]
    [InlineData("key in array")]
    [InlineData("captured bool")]
    public async Task The_index_answers_translatable_filters_without_the_predicate(string name)
    {
        var (_, storage) = await CreateAsync(Item.Create(100, seed: 5));

        var plan = PlanOf(storage, Filters()[name]);

        Assert.NotNull(plan.Candidates);
        Assert.Null(plan.Predicate);
    }

    [Theory]
    [InlineData("not indexed && indexed")]
    [InlineData("indexed && not indexed")]
    [InlineData("indexed left of throwing")]
    public async Task A_partly_translatable_filter_runs_the_predicate_on_the_index_candidates_only(string name)
    {
        var (_, storage) = await CreateAsync(Item.Create(100, seed: 6));

        var plan = PlanOf(storage, Filters()[name]);

        Assert.NotNull(plan.Candidates);
        Assert.NotNull(plan.Predicate);
    }

    [Theory]
    [InlineData("not indexed")]
    [InlineData("indexed || not indexed")]
    [InlineData("range on an indexed property")]
    [InlineData("throwing left of indexed")]
    [InlineData("throwing method")]
    public async Task An_untranslatable_filter_runs_the_predicate_on_every_record(string name)
    {
        var (_, storage) = await CreateAsync(Item.Create(100, seed: 7));

        var plan = PlanOf(storage, Filters()[name]);

        Assert.Null(plan.Candidates);
        Assert.NotNull(plan.Predicate);
    }

    [Fact]
    public async Task Movie_genre_and_director_filters_are_answered_by_the_index()
    {
        // The filters MovieSearchService builds, on the definition the movie collection is created with.
        var registry = new ConcurrentDictionary<string, CollectionStorage>(StringComparer.Ordinal);
        var collection = new InMemoryVectorStoreCollection<int, Movie>(registry, "movies", new InMemoryCollectionOptions
        {
            Definition = MovieCollectionDefinition.Create(SampleMovies.Dimensions),
        });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(SampleMovies.Create());
        var storage = (CollectionStorage<int, Movie>)registry["movies"];
        var genre = "Crime";
        var director = "Michael Mann";

        var (plan, ids) = storage.Read(reader =>
        {
            var plan = reader.Plan(m => m.Genres.Contains(genre) && m.Director == director);
            return (plan, plan.Candidates!.Value.Span.ToArray().Select(row => reader.StoredRecord(row).Id).ToList());
        });

        Assert.Null(plan.Predicate);
        Assert.Equal([1, 2], ids);
    }

    internal static async Task<InMemoryVectorStoreCollection<int, Item>> CollectionAsync(IEnumerable<Item> items, bool indexed) =>
        (await CreateAsync(items, indexed)).Collection;

    /// <summary>A collection over <paramref name="items"/>, with its storage (from the registry it was created with).</summary>
    internal static async Task<(InMemoryVectorStoreCollection<int, Item> Collection, CollectionStorage<int, Item> Storage)> CreateAsync(
        IEnumerable<Item> items, bool indexed = true)
    {
        var registry = new ConcurrentDictionary<string, CollectionStorage>(StringComparer.Ordinal);
        var collection = new InMemoryVectorStoreCollection<int, Item>(registry, "items", new InMemoryCollectionOptions { Definition = indexed ? null : Unindexed() });
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(items);
        return (collection, (CollectionStorage<int, Item>)registry["items"]);
    }

    /// <summary>Plans a filter under the storage's read lock, as searches do.</summary>
    internal static RowFilter<Item> PlanOf(CollectionStorage<int, Item> storage, Expression<Func<Item, bool>> filter) =>
        storage.Read(reader => reader.Plan(filter));

    // The same record layout with nothing marked IsIndexed: every filter runs as a predicate on every record.
    private static VectorStoreCollectionDefinition Unindexed() => new()
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(Item.Id), typeof(int)),
            .. typeof(Item).GetProperties()
                .Where(p => p.Name is not (nameof(Item.Id) or nameof(Item.Vector)))
                .Select(p => new VectorStoreDataProperty(p.Name, p.PropertyType) { IsFullTextIndexed = p.Name == nameof(Item.Note) }),
            new VectorStoreVectorProperty(nameof(Item.Vector), typeof(ReadOnlyMemory<float>), Item.Dimensions),
        ],
    };

    private sealed record Result<T>(T? Value, Type? Error);

    private static Result<T> Outcome<T>(Func<T> run)
    {
        try
        {
            return new Result<T>(run(), null);
        }
        catch (Exception e)
        {
            return new Result<T>(default, e.GetType());
        }
    }

    private static async Task<Result<T>> OutcomeAsync<T>(Func<Task<T>> run)
    {
        try
        {
            return new Result<T>(await run(), null);
        }
        catch (Exception e)
        {
            return new Result<T>(default, e.GetType());
        }
    }
}
