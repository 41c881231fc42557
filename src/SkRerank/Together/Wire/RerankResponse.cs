namespace SkRerank.Together.Wire;

internal sealed class RerankResponse
{
    public string? Object { get; init; }
    public string? Id { get; init; }
    public string? Model { get; init; }
    public List<RerankItem?>? Results { get; init; }
}
