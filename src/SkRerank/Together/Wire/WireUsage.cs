namespace SkRerank.Together.Wire;

internal sealed class WireUsage
{
    public long? PromptTokens { get; init; }
    public long? TotalTokens { get; init; }
}
