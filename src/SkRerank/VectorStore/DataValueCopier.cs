using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace SkRerank.VectorStore;

/// <summary>
/// Copies mutable data property values (arrays, lists, sets, dictionaries) so that a stored record shares no mutable
/// state with the caller's object. Values of other reference types are shared: they are taken to be immutable.
/// </summary>
internal static class DataValueCopier
{
    private static readonly ConcurrentDictionary<Type, Func<object, object>?> s_copiers = new();

    /// <summary>Whether values declared as <paramref name="type"/> may need a copy at all.</summary>
    public static bool MayNeedCopy(Type type) => !type.IsValueType && type != typeof(string);

    /// <summary>Returns <paramref name="value"/>, or a shallow copy of it when it is a known mutable collection.</summary>
    public static object? Copy(object? value)
    {
        if (value is null or string || value.GetType().IsValueType) return value;
        var copier = s_copiers.GetOrAdd(value.GetType(), CreateCopier);
        return copier is null ? value : copier(value);
    }

    private static Func<object, object>? CreateCopier(Type type)
    {
        if (type.IsArray) return static value => ((Array)value).Clone();

        // Collections with a constructor taking the sequence they enumerate: List<T>, HashSet<T>, Dictionary<K, V>, ...
        foreach (var enumerable in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))
        {
            var constructor = type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, [enumerable]);
            if (constructor is null) continue;
            var parameter = Expression.Parameter(typeof(object), "value");
            var body = Expression.Convert(Expression.New(constructor, Expression.Convert(parameter, enumerable)), typeof(object));
            return Expression.Lambda<Func<object, object>>(body, parameter).Compile();
        }
        return null;
    }
}
