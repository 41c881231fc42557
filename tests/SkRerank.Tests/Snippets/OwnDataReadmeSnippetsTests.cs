using System.Text.Json.Nodes;
using SkRerank.Tests.Agents;
using SkRerank.Tests.TextSearch;

namespace SkRerank.Tests.Snippets;

/// <summary>The README's "Rerank your own data" snippets, run on the FAQ with the local reranker.</summary>
[Collection("faq")]
public sealed class OwnDataReadmeSnippetsTests(FaqFixture faq)
{
    [Fact]
    public async Task The_text_search_snippet_hands_the_model_the_reranked_faq()
    {
        await using var server = await ScriptedChatServer.StartAsync(
            request => ScriptedChatServer.ToolCalls("m", ("call_1", ScriptedChatServer.ToolName(request, "GetTextSearchResults"), """{"query":"how do I get my money back","count":2}""")),
            _ => ScriptedChatServer.Answer("m", "Cancel within 30 days."));

        var answer = await ReadmeSnippets.RerankYourOwnDataAsync(new Uri(server.BaseUrl), "key", faq.Collection, faq.Reranker);

        Assert.Equal("Cancel within 30 days.", answer);
        var results = JsonNode.Parse(server.Requests[1].ToolResults["call_1"])!.AsArray();
        Assert.Equal("Can I cancel my plan?", results[0]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_two_stage_snippet_searches_the_apps_own_records_with_a_filter()
    {
        var response = await ReadmeSnippets.TwoStageOverOwnRecordsAsync(faq.Collection, faq.Arctic, faq.Reranker);

        Assert.True(response.Reranked);
        Assert.Equal("billing-refund", response.Results[0].Record.Id);
        Assert.All(response.Results, r => Assert.Equal("billing", r.Record.Category));
    }
}
