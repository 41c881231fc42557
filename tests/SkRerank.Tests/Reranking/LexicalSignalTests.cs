using SkRerank.Reranking;

namespace SkRerank.Tests.Reranking;

public sealed class LexicalSignalTests
{
    private static readonly string[] Corpus =
    [
        "The Joker terrorizes Gotham and Batman must stop him.",
        "A space crew travels through a wormhole to save humanity.",
        "Pirates sail the Caribbean in search of cursed gold.",
        "A young wizard attends a school of magic.",
    ];

    [Fact]
    public async Task A_querys_scores_do_not_depend_on_earlier_queries_documents()
    {
        using var signal = new LexicalSignal();
        await signal.WarmUpAsync(Corpus);
        string[] candidates = ["Batman fights the Joker in Gotham.", Corpus[0]];

        var before = await signal.ScoreAsync("joker gotham", candidates);
        // Unseen documents full of the query's words: if they joined the corpus, "joker" and "gotham" would weigh less.
        for (var i = 0; i < 20; i++) await signal.ScoreAsync("anything", [$"Joker Gotham Joker Gotham story {i}"]);
        var after = await signal.ScoreAsync("joker gotham", candidates);

        Assert.Equal(before, after);
        Assert.True(before[0] > 0, "an unseen document is still scored against the corpus statistics");
    }

    [Fact]
    public async Task Without_warm_up_each_call_scores_against_its_own_documents()
    {
        using var signal = new LexicalSignal();
        string[] candidates = ["Batman fights the Joker.", "A quiet drama about family."];
        var first = await signal.ScoreAsync("joker", candidates);
        await signal.ScoreAsync("joker", ["Joker Joker Joker", "Joker again"]);
        Assert.Equal(first, await signal.ScoreAsync("joker", candidates));
        Assert.True(first[0] > first[1]);
    }
}
