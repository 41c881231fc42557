using SkRerank.Lexical;

namespace SkRerank.Tests.Lexical;

public class Bm25IndexTests
{
    // Analyzed: 1 "the cat sat" → cat, sat (2 terms); 2 "the cat chased the cats" → cat, chase, cat (3);
    // 3 "dogs bark" → dog, bark (2). N = 3, avgdl = 7/3, n(cat) = 2.
    // idf(cat) = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6 = 0.4700036
    // doc 1: tf 1, dl 2: K = 1.2 · (0.25 + 0.75 · 2 / (7/3)) = 1.071429 → 0.470004 · 1 · 2.2 / (1 + 1.071429) = 0.499176
    // doc 2: tf 2, dl 3: K = 1.2 · (0.25 + 0.75 · 3 / (7/3)) = 1.457143 → 0.470004 · 2 · 2.2 / (2 + 1.457143) = 0.598186
    private static Bm25Index<int> CatsAndDogs(Bm25Options? options = null)
    {
        var index = new Bm25Index<int>(options);
        index.AddOrUpdate(1, "the cat sat");
        index.AddOrUpdate(2, "the cat chased the cats");
        index.AddOrUpdate(3, "dogs bark");
        return index;
    }

    [Fact]
    public void Scores_match_the_bm25_formula_computed_by_hand()
    {
        using var index = CatsAndDogs();

        var matches = index.Search("cat", 10);

        Assert.Equal([2, 1], matches.Select(m => m.Key));
        Assert.Equal(0.598186, matches[0].Score, 6);
        Assert.Equal(0.499176, matches[1].Score, 6);
    }

    [Fact]
    public void K1_and_b_change_the_scores_as_the_formula_says()
    {
        // b = 0 drops length normalization: K = k1 = 2 for both, so doc 2 = ln1.6 · 2 · 3 / (2 + 2), doc 1 = ln1.6 · 3 / 3.
        using var index = CatsAndDogs(new Bm25Options { K1 = 2, B = 0 });

        var matches = index.Search("cat", 10);

        Assert.Equal(Math.Log(1.6) * 6 / 4, matches[0].Score, 9);
        Assert.Equal(Math.Log(1.6), matches[1].Score, 9);
    }

    [Fact]
    public void Queries_are_stemmed_and_stripped_of_stop_words_like_documents()
    {
        using var index = CatsAndDogs();

        var stemmed = index.Search("The CATS", 10);
        var onlyStopWords = index.Search("the of and", 10);

        Assert.Equal([2, 1], stemmed.Select(m => m.Key));
        Assert.Equal(0.598186, stemmed[0].Score, 6);
        Assert.Empty(onlyStopWords);
    }

    [Fact]
    public void Repeating_a_query_term_does_not_change_the_score()
    {
        using var index = CatsAndDogs();
        Assert.Equal(index.Search("cat", 1)[0].Score, index.Search("cat cats cat", 1)[0].Score, 12);
    }

    [Fact]
    public void Terms_of_a_query_add_up()
    {
        using var index = CatsAndDogs();

        var both = index.Score("cat chase", [2])[0].Score;

        // chase: n = 1, idf = ln(1 + 2.5 / 1.5), tf 1, dl 3 → K = 1.457143.
        var chase = Math.Log(1 + 2.5 / 1.5) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 3 / (7.0 / 3)));
        Assert.Equal(0.598186 + chase, both, 5);
    }

    [Fact]
    public void Top_k_keeps_the_best_documents()
    {
        using var index = new Bm25Index<int>();
        for (var i = 1; i <= 50; i++) index.AddOrUpdate(i, string.Join(' ', Enumerable.Repeat("heist", i % 10 + 1)) + " crew");

        var top = index.Search("heist", 5);

        // tf 10 at i = 9, 19, 29, 39, 49; equal scores come back in indexing order.
        Assert.Equal([9, 19, 29, 39, 49], top.Select(m => m.Key));
    }

    [Fact]
    public void Scoring_a_subset_gives_the_full_search_scores_in_the_requested_order()
    {
        using var index = CatsAndDogs();

        var subset = index.Score("cat", [3, 1, 2, 99]);

        Assert.Equal([3, 1, 2, 99], subset.Select(m => m.Key));
        Assert.Equal(0, subset[0].Score);
        Assert.Equal(0.499176, subset[1].Score, 6);
        Assert.Equal(0.598186, subset[2].Score, 6);
        Assert.Equal(0, subset[3].Score); // not indexed
    }

    [Fact]
    public void Updating_a_document_replaces_its_terms_and_the_statistics()
    {
        using var index = CatsAndDogs();

        index.AddOrUpdate(3, "a cat");

        // Now n(cat) = 3 of N = 3: idf = ln(1 + 0.5 / 3.5); doc 3 is a match.
        var matches = index.Search("cat", 10);
        Assert.Equal(3, matches.Count);
        Assert.Empty(index.Search("dog", 10));
        Assert.Equal(3, index.Count);
    }

    [Fact]
    public void Removing_a_document_takes_it_out_of_results_and_statistics()
    {
        using var index = CatsAndDogs();

        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));

        // N = 2, avgdl = 5/2, n(cat) = 1: idf = ln(1 + 1.5 / 1.5) = ln 2; doc 2: K = 1.2 · (0.25 + 0.75 · 3 / 2.5).
        var match = Assert.Single(index.Search("cat", 10));
        Assert.Equal(2, match.Key);
        Assert.Equal(Math.Log(2) * 4.4 / (2 + 1.2 * (0.25 + 0.75 * 3 / 2.5)), match.Score, 9);
        Assert.False(index.Contains(1));
    }

    [Fact]
    public void Field_weights_boost_matches_in_the_title()
    {
        using var index = new Bm25Index<string>(new Bm25Options { FieldWeights = new Dictionary<string, double> { ["title"] = 3 } });
        index.AddOrUpdate("heat", [new("title", "Heat"), new("overview", "A crew plans a bank job")]);
        index.AddOrUpdate("thief", [new("title", "Thief"), new("overview", "A safecracker takes one last heat-free bank job, hot heat")]);

        var both = index.Search("heat", 2);
        var overviewOnly = index.Search("heat", 2, field: "overview");

        Assert.Equal(["heat", "thief"], both.Select(m => m.Key));
        Assert.Equal(["thief"], overviewOnly.Select(m => m.Key));
    }

    [Fact]
    public void A_filter_keeps_only_matching_keys()
    {
        using var index = CatsAndDogs();
        Assert.Equal([1], index.Search("cat", 10, filter: key => key != 2).Select(m => m.Key));
    }

    [Fact]
    public void Invalid_parameters_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Index<int>(new Bm25Options { B = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Index<int>(new Bm25Options { K1 = -1 }));
    }

    [Fact]
    public async Task Concurrent_readers_and_a_writer_do_not_corrupt_the_index()
    {
        using var index = new Bm25Index<int>();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++) index.AddOrUpdate(i % 300, $"heist number {i} crew");
        });
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 300; i++) Assert.All(index.Search("heist crew", 10), m => Assert.True(m.Score > 0));
        }));
        await Task.WhenAll(readers.Append(writer));

        Assert.Equal(300, index.Count);
        Assert.Equal(300, index.Search("heist", 1000).Count);
    }
}
