using System.Reflection;
using System.Reflection.Emit;

namespace Datamancy.Tests.Architecture;

/// <summary>
/// Which top-level folders of Datamancy.Core (namespaces Datamancy.&lt;Folder&gt;) use which, read
/// from the compiled assembly: base types, signatures and every type, method and field token in
/// the method bodies. Reading IL rather than using lines also catches qualified names
/// (<c>Errors.DatamancyException</c>) and members reached through <c>var</c>.
/// </summary>
internal static class CoreFolderGraph
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic |
        BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Folder to the folders it uses, each edge with one example "UsingType uses UsedType".</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Read(Assembly assembly)
    {
        var edges = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (FolderOf(type, assembly) is not { } from)
            {
                continue;
            }

            edges.TryAdd(from, new Dictionary<string, string>(StringComparer.Ordinal));
            foreach (var used in UsedTypes(type))
            {
                foreach (var leaf in Flatten(used))
                {
                    if (FolderOf(leaf, assembly) is { } to && to != from)
                    {
                        edges[from].TryAdd(to, $"{type.FullName} uses {leaf.FullName}");
                    }
                }
            }
        }

        return edges.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, string>)e.Value, StringComparer.Ordinal);
    }

    /// <summary>The cycles of the graph: each strongly connected set of two or more folders, sorted.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> graph)
    {
        // Tarjan's algorithm; the graph has about ten nodes, so recursion depth is no concern.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.TryGetValue(node, out var targets) ? targets.Keys : [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string popped;
                do
                {
                    popped = stack.Pop();
                    onStack.Remove(popped);
                    component.Add(popped);
                }
                while (popped != node);

                if (component.Count > 1)
                {
                    result.Add(component.Order(StringComparer.Ordinal).ToList());
                }
            }
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }

    private static string? FolderOf(Type type, Assembly assembly)
    {
        if (type.Assembly != assembly || type.Namespace is not { } ns || !ns.StartsWith("Datamancy.", StringComparison.Ordinal))
        {
            return null;
        }

        return ns.Split('.')[1];
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType)
        {
            return Flatten(type.GetElementType()!);
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? type.GetGenericArguments().SelectMany(Flatten).Prepend(type.GetGenericTypeDefinition())
            : [type];
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var contract in type.GetInterfaces())
        {
            yield return contract;
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }

            foreach (var used in BodyTypes(method))
            {
                yield return used;
            }
        }
    }

    // Every type, method and field token of the method's IL, resolved in the method's generic context.
    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return [];
        }

        var found = new List<Type>();
        var typeArguments = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var opCode = OpCodesByValue[value];
            if (opCode.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments);
                switch (member)
                {
                    case Type used:
                        found.Add(used);
                        break;
                    case MethodBase called:
                        found.Add(called.DeclaringType!);
                        if (called.IsGenericMethod)
                        {
                            found.AddRange(called.GetGenericArguments());
                        }

                        break;
                    case FieldInfo field:
                        found.Add(field.DeclaringType!);
                        break;
                }
            }

            position += OperandSize(opCode, il, position);
        }

        return found;
    }

    private static int OperandSize(OpCode opCode, byte[] il, int position) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
