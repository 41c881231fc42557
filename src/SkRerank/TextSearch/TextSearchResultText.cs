using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.SemanticKernel.Data;

namespace SkRerank.TextSearch;

/// <summary>
/// Reads the text of a text search result for the reranker: a string itself, a <see cref="TextSearchResult"/>'s value,
/// or the string property a record marks with <see cref="TextSearchResultValueAttribute"/> (as SK's
/// <c>VectorStoreTextSearch</c> maps records).
/// </summary>
internal static class TextSearchResultText
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> ValueProperties = new();

    /// <summary>The text of <paramref name="result"/>, or <see langword="null"/> when it has none.</summary>
    /// <exception cref="InvalidOperationException">The result's type has no text the reranker could read.</exception>
    public static string? Of(object result) => result switch
    {
        string text => text,
        TextSearchResult textResult => textResult.Value,
        _ => (ValueProperties.GetOrAdd(result.GetType(), FindValueProperty)
              ?? throw new InvalidOperationException(
                  $"The reranker cannot read a {result.GetType().Name}: mark its text property [TextSearchResultValue], or pass the record text to WithReranking."))
             .GetValue(result)?.ToString(),
    };

    /// <summary>Whether records of <paramref name="type"/> have a text property the reranker can read.</summary>
    public static bool HasValueProperty(Type type) => ValueProperties.GetOrAdd(type, FindValueProperty) is not null;

    private static PropertyInfo? FindValueProperty(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.GetCustomAttribute<TextSearchResultValueAttribute>() is not null);
}
